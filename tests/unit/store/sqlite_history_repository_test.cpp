#include "store/sqlite/sqlite_history_repository.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/temp_db.hpp"

namespace portier::store::sqlite {
namespace {

using access::Event;
using access::EventType;
using access::HistoryQuery;
using access::StoredEvent;
using namespace std::chrono_literals;

const Clock::SystemTime kT0 = from_unix_ms(1'800'000'000'000);

// Event i happens at kT0 + i s, alternates front/back, and cycles ring, unlocked, relocked.
Event event(int i) {
  static constexpr EventType kTypes[] = {EventType::ring, EventType::unlocked, EventType::relocked};
  Event e;
  e.type = kTypes[i % 3];
  e.door = i % 2 ? "back" : "front";
  e.time = kT0 + std::chrono::seconds(i);
  e.detail = std::to_string(i);
  return e;
}

class SqliteHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::open(test::temp_db(std::string(test_name()) + ".db"), clock_);
    ASSERT_TRUE(s.ok()) << s.error().what();
    store_ = std::move(*s);
  }
  static const char* test_name() { return ::testing::UnitTest::GetInstance()->current_test_info()->name(); }
  access::HistoryRepository& history() { return store_->history(); }
  void append(int from, int to) {
    for (int i = from; i < to; ++i) ASSERT_TRUE(history().append(event(i)).ok());
  }
  std::vector<std::int64_t> ids(const HistoryQuery& q) {
    auto page = history().query(q);
    EXPECT_TRUE(page.ok()) << page.error().what();
    std::vector<std::int64_t> out;
    if (page) {
      for (const auto& s : *page) out.push_back(s.id);
    }
    return out;
  }

  FakeClock clock_;
  std::unique_ptr<SqliteStore> store_;
};

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {  // inclusive; descending when first > last
  std::vector<std::int64_t> out;
  for (auto i = first; first <= last ? i <= last : i >= last; first <= last ? ++i : --i) out.push_back(i);
  return out;
}

TEST_F(SqliteHistoryTest, AppendAssignsIncreasingIdsAndRoundTrips) {
  Event e = event(0);
  e.type = EventType::unlocked;
  e.actor = "Ann";
  e.method = "web";
  e.time = kT0 + 123ms;
  e.relock_at = kT0 + 5123ms;
  auto first = history().append(e);
  auto second = history().append(event(1));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(*second, 2);
  EXPECT_EQ(*history().last_id(), 2);

  HistoryQuery q;
  q.after_id = 0;
  auto all = history().query(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  const Event& back = (*all)[0].event;
  EXPECT_EQ(back.type, EventType::unlocked);
  EXPECT_EQ(back.door, "front");
  EXPECT_EQ(back.time, e.time);
  EXPECT_EQ(back.actor, "Ann");
  EXPECT_EQ(back.method, "web");
  EXPECT_EQ(back.detail, "0");
  EXPECT_EQ(back.relock_at, e.relock_at);
  EXPECT_FALSE((*all)[1].event.relock_at.has_value());
}

TEST_F(SqliteHistoryTest, PagesNewestFirstWithBeforeId) {
  append(0, 25);
  HistoryQuery q;
  q.limit = 10;
  std::vector<std::int64_t> seen;
  for (;;) {
    auto page = ids(q);
    seen.insert(seen.end(), page.begin(), page.end());
    if (page.size() < q.limit) break;
    q.before_id = page.back();
  }
  EXPECT_EQ(seen, range(25, 1));
}

TEST_F(SqliteHistoryTest, ResumeAfterIdIsOldestFirstWithoutGaps) {
  append(0, 12);
  HistoryQuery q;
  q.after_id = 5;  // the last id the client saw before it lost the connection
  q.limit = 4;
  std::vector<std::int64_t> seen;
  bool more_published = false;
  for (;;) {
    auto page = ids(q);
    seen.insert(seen.end(), page.begin(), page.end());
    if (!more_published) {  // events keep arriving while the client catches up
      append(12, 15);
      more_published = true;
    }
    if (page.empty()) break;
    q.after_id = page.back();
  }
  EXPECT_EQ(seen, range(6, 15));
}

TEST_F(SqliteHistoryTest, FiltersByDoorTypeAndTime) {
  append(0, 12);
  HistoryQuery by_door;
  by_door.door = "back";
  EXPECT_EQ(ids(by_door), (std::vector<std::int64_t>{12, 10, 8, 6, 4, 2}));

  HistoryQuery by_type;
  by_type.types = {EventType::ring, EventType::relocked, EventType::ring};
  EXPECT_EQ(ids(by_type), (std::vector<std::int64_t>{12, 10, 9, 7, 6, 4, 3, 1}));

  HistoryQuery window;  // half-open: event 3 (id 4) is in, event 6 (id 7) is out
  window.since = kT0 + 3s;
  window.until = kT0 + 6s;
  EXPECT_EQ(ids(window), range(6, 4));

  HistoryQuery combined;
  combined.door = "front";
  combined.types = {EventType::ring};
  combined.since = kT0 + 1s;
  combined.after_id = 0;
  EXPECT_EQ(ids(combined), (std::vector<std::int64_t>{7}));

  HistoryQuery none;
  none.door = "garage";
  EXPECT_TRUE(ids(none).empty());
}

TEST_F(SqliteHistoryTest, LimitMustBeOneToThousand) {
  append(0, 3);
  HistoryQuery q;
  q.limit = 0;
  EXPECT_EQ(history().query(q).error().code, errc::invalid_argument);
  q.limit = 1001;
  EXPECT_EQ(history().query(q).error().code, errc::invalid_argument);
  q.limit = 1000;
  EXPECT_EQ(ids(q).size(), 3u);
  q.limit = 1;
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{3}));
}

TEST_F(SqliteHistoryTest, PurgeDeletesOlderEventsAndIdsAreNeverReused) {
  append(0, 10);
  auto purged = history().purge_before(kT0 + 4s);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 4);
  EXPECT_EQ(ids(HistoryQuery{}), range(10, 5));

  EXPECT_EQ(*history().purge_before(kT0 + 1h), 6);
  EXPECT_TRUE(ids(HistoryQuery{}).empty());
  EXPECT_EQ(*history().last_id(), 10);
  auto next = history().append(event(10));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 11);
}

TEST_F(SqliteHistoryTest, EmptyHistory) {
  EXPECT_EQ(*history().last_id(), 0);
  EXPECT_TRUE(ids(HistoryQuery{}).empty());
  EXPECT_EQ(*history().purge_before(kT0), 0);
}

}  // namespace
}  // namespace portier::store::sqlite
