# portier_webrtc_loopback: the browser stand-in (loopback_client.*) used by tests/unit/webrtc and bench/webrtc.
# Included from both places; defined once whichever comes first (tests are added before bench).
include_guard(GLOBAL)
add_library(portier_webrtc_loopback STATIC ${CMAKE_CURRENT_LIST_DIR}/loopback_client.cpp)
target_include_directories(portier_webrtc_loopback PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(portier_webrtc_loopback PUBLIC portier_webrtc)
