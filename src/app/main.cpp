#include "app/cli.hpp"

int main(int argc, char** argv) { return portier::app::run_cli(argc, argv); }
