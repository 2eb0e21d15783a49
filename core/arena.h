// Bump allocator for AST nodes: one allocation per few thousand nodes, and the
// nodes' destructors run when the arena dies.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace tap {

class Arena {
public:
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    ~Arena() {
        for (auto it = dtors_.rbegin(); it != dtors_.rend(); ++it)
            it->destroy(it->object);
    }

    template <class T, class... Args> T* make(Args&&... args) {
        void* p = allocate(sizeof(T), alignof(T));
        T* obj = new (p) T(std::forward<Args>(args)...);
        if constexpr (!std::is_trivially_destructible_v<T>)
            dtors_.push_back({obj, [](void* o) { static_cast<T*>(o)->~T(); }});
        return obj;
    }

private:
    void* allocate(size_t size, size_t align) {
        size_t offset = (used_ + align - 1) & ~(align - 1);
        if (blocks_.empty() || offset + size > kBlockSize) {
            blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(std::max(kBlockSize, size)));
            offset = 0;
        }
        used_ = offset + size;
        return blocks_.back().get() + offset;
    }

    struct Dtor {
        void* object;
        void (*destroy)(void*);
    };
    static constexpr size_t kBlockSize = 64 * 1024;
    std::vector<std::unique_ptr<std::byte[]>> blocks_;
    size_t used_ = 0;
    std::vector<Dtor> dtors_;
};

} // namespace tap
