// InlineTask: a move-only void() callable that keeps callables of up to kInlineBytes inside
// itself (no heap allocation), larger ones on the heap. What a strand queues: most of the
// emulator's tasks capture a pointer, an id or two and a std::function, which std::function itself
// would put on the heap (its own buffer holds 16 bytes).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace rtm_emulator {

class InlineTask {
 public:
  static constexpr std::size_t kInlineBytes = 64;

  InlineTask() noexcept = default;
  InlineTask(std::nullptr_t) noexcept {}  // NOLINT: as std::function
  template <typename F, typename D = std::decay_t<F>,
            typename = std::enable_if_t<!std::is_same<D, InlineTask>::value && std::is_invocable<D&>::value>>
  InlineTask(F&& f) {  // NOLINT: implicit, as std::function
    if constexpr (sizeof(D) <= kInlineBytes && alignof(D) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible<D>::value) {
      new (buf_) D(std::forward<F>(f));
      ops_ = &inlineOps<D>;
    } else {
      *reinterpret_cast<D**>(buf_) = new D(std::forward<F>(f));
      ops_ = &heapOps<D>;
    }
  }
  InlineTask(InlineTask&& other) noexcept { take(other); }
  InlineTask& operator=(InlineTask&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InlineTask& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  InlineTask(const InlineTask&) = delete;
  InlineTask& operator=(const InlineTask&) = delete;
  ~InlineTask() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }
  void operator()() { ops_->invoke(buf_); }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*move)(void* dst, void* src) noexcept;  // move-constructs into dst, destroys src
    void (*destroy)(void*) noexcept;
  };
  template <typename D>
  static constexpr Ops inlineOps = {
      [](void* p) { (*static_cast<D*>(p))(); },
      [](void* dst, void* src) noexcept {
        new (dst) D(std::move(*static_cast<D*>(src)));
        static_cast<D*>(src)->~D();
      },
      [](void* p) noexcept { static_cast<D*>(p)->~D(); }};
  template <typename D>
  static constexpr Ops heapOps = {
      [](void* p) { (**static_cast<D**>(p))(); },
      [](void* dst, void* src) noexcept { *static_cast<D**>(dst) = *static_cast<D**>(src); },
      [](void* p) noexcept { delete *static_cast<D**>(p); }};

  void take(InlineTask& other) noexcept {
    if (other.ops_ == nullptr) return;
    other.ops_->move(buf_, other.buf_);
    ops_ = other.ops_;
    other.ops_ = nullptr;
  }
  void reset() noexcept {
    if (ops_ == nullptr) return;
    const Ops* ops = ops_;
    ops_ = nullptr;
    ops->destroy(buf_);
  }

  alignas(std::max_align_t) unsigned char buf_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace rtm_emulator
