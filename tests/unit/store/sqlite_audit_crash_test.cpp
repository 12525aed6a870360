// Crash safety of the audit log: a child process appends rows and reports each acknowledged seq through a pipe; the
// parent SIGKILLs it mid-burst. After reopening, every acknowledged row must be there and the chain must verify.
// Three rounds, so that the chain also continues correctly after a crash.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "access/audit_log.hpp"
#include "access/audit_verifier.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/temp_db.hpp"

namespace portier::store::sqlite {
namespace {

// Child exit codes, so that the parent can say what went wrong.
constexpr int kChildOpenFailed = 3;
constexpr int kChildAppendFailed = 4;
constexpr int kChildPipeFailed = 5;

[[noreturn]] void run_child(const std::filesystem::path& path, int ack_fd) {
  SystemClock clock;
  auto store = SqliteStore::open(path, clock);
  if (!store) ::_exit(kChildOpenFailed);
  access::AuditLog log((*store)->audit(), clock);
  if (!log.open()) ::_exit(kChildOpenFailed);
  const auto actor = access::Actor::user("1", "burst");
  for (;;) {  // until killed
    auto row = log.append(access::AuditEntry::from(actor, access::AccessMethod::api, "front", "unlock",
                                                   access::AuditResult::granted));
    if (!row) ::_exit(kChildAppendFailed);
    const std::uint64_t seq = row->seq;
    if (::write(ack_fd, &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) ::_exit(kChildPipeFailed);
  }
}

// Reads one acknowledged seq; false on EOF or when nothing arrives for 30 s.
bool read_ack(int fd, std::uint64_t& seq) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 30'000) <= 0) return false;
  return ::read(fd, &seq, sizeof seq) == static_cast<ssize_t>(sizeof seq);
}

// Runs one child, kills it after `kill_after` acknowledgements, and returns every seq it acknowledged.
std::vector<std::uint64_t> crash_round(const std::filesystem::path& path, std::size_t kill_after) {
  int fds[2];
  if (::pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return {};
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    run_child(path, fds[1]);
  }
  ::close(fds[1]);
  std::vector<std::uint64_t> acked;
  std::uint64_t seq = 0;
  while (acked.size() < kill_after && read_ack(fds[0], seq)) acked.push_back(seq);
  ::kill(pid, SIGKILL);
  while (read_ack(fds[0], seq)) acked.push_back(seq);  // acks already in the pipe count too
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child ended by itself; exit code " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return acked;
}

TEST(SqliteAuditCrash, AcknowledgedRowsSurviveSigkill) {
  const auto path = test::temp_db("audit-crash.db");
  std::uint64_t expected_next = 1;
  for (std::size_t kill_after : {150u, 37u, 90u}) {
    const auto acked = crash_round(path, kill_after);
    ASSERT_GE(acked.size(), kill_after);
    for (std::size_t i = 0; i < acked.size(); ++i) {
      ASSERT_EQ(acked[i], expected_next + i) << "acknowledged seqs must be consecutive";
    }
    const std::uint64_t last_acked = acked.back();

    SystemClock clock;
    auto store = SqliteStore::open(path, clock);
    ASSERT_TRUE(store.ok()) << store.error().what();
    auto head = (*store)->audit().head();
    ASSERT_TRUE(head.ok());
    // At most one row more than acknowledged: the one committed just before the kill, not yet reported.
    EXPECT_GE(head->seq, last_acked);
    EXPECT_LE(head->seq, last_acked + 1);
    auto report = access::verify_audit_log((*store)->audit(), 64);
    ASSERT_TRUE(report.ok()) << report.error().what();
    EXPECT_TRUE(report->ok) << report->reason;
    EXPECT_EQ(report->rows, head->seq) << "every row from 1 to the head, so every acknowledged seq, is present";
    expected_next = head->seq + 1;
  }
}

}  // namespace
}  // namespace portier::store::sqlite
