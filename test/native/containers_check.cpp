// The emulator's own containers and allocators (no Node): Ring (a FIFO that grows and gives its
// buffer back), ChunkQueue (chunks of 32 behind a ring of pointers: order across chunks, by index,
// swap, release), KeyedWindow (pending requests by key: a ring window plus a map for the ones left
// behind), InlineFunction with arguments, BlockCache and ObjectPool (reuse, bounds, batches through
// the depot, objects made on one thread and released on another, each handed out once).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "common/block_cache.h"
#include "common/chunk_queue.h"
#include "common/inline_task.h"
#include "common/keyed_window.h"
#include "common/object_pool.h"
#include "common/ring.h"

using rtm_emulator::BlockCache;
using rtm_emulator::ChunkQueue;
using rtm_emulator::InlineFunction;
using rtm_emulator::InlineTask;
using rtm_emulator::KeyedWindow;
using rtm_emulator::ObjectPool;
using rtm_emulator::PooledAllocator;
using rtm_emulator::Ring;

namespace {

void testRing() {
  Ring<int> ring;
  CHECK(ring.empty());
  // Interleaved pushes and pops across growth and wrap-around keep FIFO order.
  int next = 0, expect = 0;
  bool inOrder = true;
  for (int round = 0; round < 200; ++round) {
    for (int k = 0; k < round % 7 + 3; ++k) ring.push(int(next++));
    for (int k = 0; k < round % 5 + 1 && !ring.empty(); ++k) inOrder = inOrder && ring.pop() == expect++;
  }
  while (!ring.empty()) inOrder = inOrder && ring.pop() == expect++;
  CHECK(inOrder);
  CHECK_EQ(expect, next);
  // pushFront: popped next, ahead of what is queued, also when it has to grow.
  for (int i = 0; i < 4; ++i) ring.push(int(i));
  ring.pushFront(-1);
  ring.pushFront(-2);
  std::vector<int> got;
  while (!ring.empty()) got.push_back(ring.pop());
  CHECK(got == std::vector<int>({-2, -1, 0, 1, 2, 3}));
  // Values are released when popped or dropped, and by clear(), not when their slot is reused.
  auto token = std::make_shared<int>(1);
  Ring<std::shared_ptr<int>> owners;
  for (int i = 0; i < 100; ++i) owners.push(std::shared_ptr<int>(token));
  CHECK_EQ(token.use_count(), 101);
  owners.pop();
  owners.dropFront();
  CHECK_EQ(token.use_count(), 99);
  owners.clear();
  CHECK_EQ(token.use_count(), 1);
  CHECK(owners.empty());
  owners.push(std::shared_ptr<int>(token));  // usable again after release()
  CHECK_EQ(*owners.front(), 1);
}

struct Entry {
  int value = 0;
  bool armed = false;
};
struct EvictArmed {
  bool operator()(const Entry& e) const { return e.armed; }
};

// ChunkQueue (what a client's outgoing requests wait in): FIFO order across chunk boundaries,
// interleaved pushes and pops, look-ahead by index, swap, release when empty, values released
// when dropped.
void testChunkQueue() {
  ChunkQueue<int, 4> q;
  CHECK(q.empty());
  int next = 0, expect = 0;
  bool inOrder = true;
  for (int round = 0; round < 50; ++round) {
    for (int k = 0; k < round % 7 + 1; ++k) q.push(next++);
    for (std::size_t i = 0; i < q.size(); ++i) inOrder = inOrder && q[i] == expect + static_cast<int>(i);
    for (int k = 0; k < round % 5 && !q.empty(); ++k) {
      inOrder = inOrder && q.front() == expect++;
      q.dropFront();
    }
  }
  while (!q.empty()) inOrder = inOrder && q.pop() == expect++;
  CHECK(inOrder);
  CHECK_EQ(expect, next);
  q.release();
  CHECK(q.empty());
  q.pushDefault() = 5;
  ChunkQueue<int, 4> other;
  for (int i = 0; i < 9; ++i) other.push(10 + i);
  q.swap(other);
  CHECK_EQ(q.size(), 9u);
  CHECK_EQ(q[8], 18);
  CHECK_EQ(other.size(), 1u);
  CHECK_EQ(other.front(), 5);
  auto token = std::make_shared<int>(1);
  ChunkQueue<std::shared_ptr<int>, 4> owners;
  for (int i = 0; i < 10; ++i) owners.push(std::shared_ptr<int>(token));
  CHECK_EQ(token.use_count(), 11);
  for (int i = 0; i < 6; ++i) owners.dropFront();
  CHECK_EQ(token.use_count(), 5);  // released when dropped, not when the slot is reused
  owners.clear();
  CHECK_EQ(token.use_count(), 1);
}

void testKeyedWindow() {
  KeyedWindow<Entry> window;
  for (std::uint64_t k = 10; k < 20; ++k) window.add(k).value = static_cast<int>(k);
  CHECK_EQ(window.size(), 10u);
  CHECK(window.find(9) == nullptr);
  CHECK(window.find(20) == nullptr);
  CHECK_EQ(window.find(15)->value, 15);
  // Out of order removal; a second removal of a key finds nothing.
  CHECK(window.erase(15));
  CHECK(!window.erase(15));
  CHECK(window.find(15) == nullptr);
  CHECK(window.erase(10));
  CHECK(window.erase(11));
  CHECK_EQ(window.find(12)->value, 12);
  // Skipped keys are no entries.
  window.add(25).value = 25;
  CHECK(window.find(22) == nullptr);
  CHECK(!window.erase(22));
  std::vector<std::uint64_t> keys;
  window.forEach([&](std::uint64_t k, Entry& e) {
    keys.push_back(k);
    CHECK_EQ(e.value, static_cast<int>(k));
  });
  CHECK(keys == std::vector<std::uint64_t>({12, 13, 14, 16, 17, 18, 19, 25}));
  window.clear();
  CHECK(window.empty());
  CHECK(window.find(12) == nullptr);

  // An oldest entry that may leave (EvictAny) moves to the map once kMaxWindow newer keys came:
  // it is still found, removed, listed first.
  const std::size_t max = KeyedWindow<Entry>::kMaxWindow;
  window.add(1).value = 1;
  for (std::uint64_t k = 2; k < 2 + 3 * max; ++k) {
    window.add(k).value = static_cast<int>(k);
    window.erase(k);  // answered at once
  }
  CHECK_EQ(window.size(), 1u);
  CHECK_EQ(window.find(1)->value, 1);
  window.add(5 * max).value = 7;
  keys.clear();
  window.forEach([&](std::uint64_t k, Entry&) { keys.push_back(k); });
  CHECK(keys == std::vector<std::uint64_t>({1, 5 * max}));
  CHECK(window.erase(1));
  CHECK(!window.erase(1));
  CHECK_EQ(window.find(5 * max)->value, 7);

  // With a policy: an entry not armed (queued) keeps the window open; once armed, it moves out.
  KeyedWindow<Entry, EvictArmed> pending;
  pending.add(100).value = 100;
  for (std::uint64_t k = 101; k < 101 + 2 * max; ++k) pending.add(k).value = static_cast<int>(k);
  bool all = true;
  for (std::uint64_t k = 100; k < 101 + 2 * max; ++k) all = all && pending.find(k) && pending.find(k)->value == static_cast<int>(k);
  CHECK(all);
  for (std::uint64_t k = 101; k < 101 + 2 * max; ++k) pending.erase(k);
  pending.find(100)->armed = true;
  for (std::uint64_t k = 101 + 2 * max; k < 101 + 4 * max; ++k) {
    pending.add(k);
    pending.erase(k);
  }
  CHECK_EQ(pending.size(), 1u);
  CHECK(pending.find(100) != nullptr && pending.find(100)->armed);
  CHECK(pending.erase(100));
  CHECK(pending.empty());
}

void testInlineFunctionArguments() {
  InlineFunction<int(int, const std::string&)> add = [base = 5](int x, const std::string& s) {
    return base + x + static_cast<int>(s.size());
  };
  CHECK_EQ(add(1, "abc"), 9);
  // Move-only captures; a large capture goes to the heap and still runs and is freed once.
  auto token = std::make_shared<int>(2);
  struct Big {
    char pad[128];
  } big{};
  InlineFunction<int(int)> large = [token, big, owned = std::make_unique<int>(3)](int x) {
    return *token * x + *owned + big.pad[0];
  };
  InlineFunction<int(int)> moved = std::move(large);
  CHECK(!large);
  CHECK_EQ(moved(10), 23);
  CHECK_EQ(token.use_count(), 2);
  moved = nullptr;
  CHECK_EQ(token.use_count(), 1);
  // An argument passed by value reaches the callable moved, not copied.
  InlineFunction<std::size_t(std::string)> size = [](std::string s) { return s.size(); };
  CHECK_EQ(size(std::string(100, 'x')), 100u);
}

// Three threads make objects with make() and hand them to the next one, which checks and
// releases them (as a delivery's answer or a message is released on another thread than the one
// that made it): every object reaches its consumer once, with its own value (no block or object
// was handed out twice), and each came out of make() reset (text empty, id 0).
template <typename Thing, typename Make>
void handOffBetweenThreads(Make make) {
  constexpr int kThreads = 3;
  constexpr std::uint64_t kEach = 20000;
  std::mutex mu;
  std::vector<std::shared_ptr<Thing>> inbox[kThreads];
  std::atomic<std::uint64_t> released{0}, bad{0};
  std::atomic<int> producing{kThreads};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto check = [&](std::vector<std::shared_ptr<Thing>>& got) {
        for (auto& p : got) {
          if (p->text != "thing " + std::to_string(p->id)) ++bad;
          ++released;
        }
        got.clear();
      };
      auto handOver = [&](std::vector<std::shared_ptr<Thing>>& mine, std::vector<std::shared_ptr<Thing>>* got) {
        std::lock_guard<std::mutex> lock(mu);
        for (auto& q : mine) inbox[(t + 1) % kThreads].push_back(std::move(q));
        mine.clear();
        if (got != nullptr) got->swap(inbox[t]);
      };
      std::vector<std::shared_ptr<Thing>> mine, got;
      for (std::uint64_t i = 0; i < kEach; ++i) {
        std::shared_ptr<Thing> p = make();
        if (!p->text.empty() || p->id != 0) ++bad;
        p->id = static_cast<std::uint64_t>(t) * kEach + i;
        p->text = "thing " + std::to_string(p->id);
        mine.push_back(std::move(p));
        if (mine.size() == 64) {
          handOver(mine, &got);
          check(got);
        }
      }
      handOver(mine, nullptr);
      --producing;
      while (producing.load() > 0) std::this_thread::yield();
      {
        std::lock_guard<std::mutex> lock(mu);
        got.swap(inbox[t]);
      }
      check(got);
    });
  }
  for (auto& th : threads) th.join();
  CHECK_EQ(released.load(), kThreads * kEach);
  CHECK_EQ(bad.load(), 0u);
}

struct Thing {
  std::uint64_t id = 0;
  std::string text;
  char pad[96] = {};
};

// BlockCache / PooledAllocator (what a PeerDelivery is made with): a freed block is reused by the
// next allocation on that thread; a thread keeps at most kMaxCached, handing batches to the
// depot, and one with an empty list takes them back before asking the heap.
void testBlockCache() {
  using Cache = BlockCache<64>;
  void* a = Cache::allocate();
  const std::size_t before = Cache::cachedOnThisThread();
  Cache::deallocate(a);
  CHECK_EQ(Cache::cachedOnThisThread(), before + 1);
  CHECK(Cache::allocate() == a);  // reused, not a new block
  CHECK_EQ(Cache::cachedOnThisThread(), before);
  Cache::deallocate(a);
  const std::size_t depotBefore = Cache::inDepot();
  std::vector<void*> many;
  for (std::size_t i = 0; i < 3 * Cache::kBatch; ++i) many.push_back(Cache::allocate());
  for (void* p : many) Cache::deallocate(p);
  CHECK(Cache::cachedOnThisThread() < Cache::kMaxCached);  // bounded
  CHECK(Cache::inDepot() >= depotBefore + Cache::kBatch);
  const std::size_t reusable = Cache::cachedOnThisThread() + Cache::kBatch;
  std::vector<void*> again;
  for (std::size_t i = 0; i < reusable; ++i) again.push_back(Cache::allocate());
  std::size_t reused = 0;
  for (void* p : again) reused += std::find(many.begin(), many.end(), p) != many.end() ? 1 : 0;
  CHECK_EQ(reused, reusable);  // the thread's own blocks, then a batch from the depot: no new block
  for (void* p : again) Cache::deallocate(p);
  handOffBetweenThreads<Thing>([] { return std::allocate_shared<Thing>(PooledAllocator<Thing>()); });
}

// ObjectPool (what a sent message's PeerMessageData comes from): a released object is reset and
// made again with what it owned (a string's buffer); one the reset refuses is not kept.
bool resetThing(Thing& t) {
  if (t.text.capacity() > 1000) return false;
  t.text.clear();
  t.id = 0;
  return true;
}

void testObjectPool() {
  using Pool = ObjectPool<Thing>;
  Thing* first = nullptr;
  const char* buffer = nullptr;
  {
    std::shared_ptr<Thing> a = Pool::make(&resetThing);
    a->text.assign(100, 'x');
    a->id = 7;
    first = a.get();
    buffer = a->text.data();
  }
  {
    std::shared_ptr<Thing> b = Pool::make(&resetThing);
    CHECK(b.get() == first);          // the same object again
    CHECK(b->text.empty());           // reset
    CHECK_EQ(b->id, 0u);
    b->text.assign(90, 'y');
    CHECK(b->text.data() == buffer);  // and its buffer: no allocation for the new text
    b->text.assign(5000, 'z');        // too big to keep
  }
  {
    std::shared_ptr<Thing> c = Pool::make(&resetThing);
    CHECK(c->text.capacity() < 5000);  // the big one was deleted, not kept with its 5 KB
  }
  handOffBetweenThreads<Thing>([] { return Pool::make(&resetThing); });
  CHECK(Pool::inDepot() > 0);  // the threads' surplus went to the depot
}

}  // namespace

int main() {
  testRing();
  testChunkQueue();
  testKeyedWindow();
  testInlineFunctionArguments();
  testBlockCache();
  testObjectPool();
  return finish("containers_check");
}
