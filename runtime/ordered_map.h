// The associative arrays of a script: hash lookup, iteration in insertion
// order (as stap's maps iterate), and eviction of the oldest entry for
// wrap-around (`global a%`) arrays.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tap::rt {

template <class V> class OrderedMap {
public:
    static constexpr uint32_t kNone = UINT32_MAX;
    struct Node {
        std::string key; // encoded key (see ArrayKey)
        V value{};
        uint32_t prev = kNone, next = kNone;
        bool live = false;
    };

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    V* find(const std::string& key) {
        auto it = index_.find(key);
        return it == index_.end() ? nullptr : &nodes_[it->second].value;
    }
    // Finds or inserts; `inserted` tells which.
    V& findOrInsert(const std::string& key, bool& inserted) {
        auto [it, fresh] = index_.try_emplace(key, kNone);
        inserted = fresh;
        if (!fresh)
            return nodes_[it->second].value;
        uint32_t slot;
        if (!free_.empty()) {
            slot = free_.back();
            free_.pop_back();
        } else {
            slot = uint32_t(nodes_.size());
            nodes_.emplace_back();
        }
        Node& n = nodes_[slot];
        n.key = key;
        n.value = V{};
        n.live = true;
        n.prev = tail_;
        n.next = kNone;
        if (tail_ != kNone)
            nodes_[tail_].next = slot;
        else
            head_ = slot;
        tail_ = slot;
        it->second = slot;
        ++size_;
        return n.value;
    }
    bool erase(const std::string& key) {
        auto it = index_.find(key);
        if (it == index_.end())
            return false;
        unlink(it->second);
        index_.erase(it);
        return true;
    }
    void eraseOldest() {
        if (head_ == kNone)
            return;
        uint32_t slot = head_;
        index_.erase(nodes_[slot].key);
        unlink(slot);
    }
    void clear() {
        nodes_.clear();
        free_.clear();
        index_.clear();
        head_ = tail_ = kNone;
        size_ = 0;
    }
    // Slots in insertion order (a snapshot, so the map may change meanwhile).
    std::vector<uint32_t> slots() const {
        std::vector<uint32_t> out;
        out.reserve(size_);
        for (uint32_t s = head_; s != kNone; s = nodes_[s].next)
            out.push_back(s);
        return out;
    }
    // Relinks the entries in this order (every live slot exactly once): a
    // sorted foreach reorders stap's map list in place, so later unsorted
    // iteration and wrap-around eviction follow the sorted order.
    void relink(const std::vector<uint32_t>& order) {
        head_ = tail_ = kNone;
        for (uint32_t s : order) {
            Node& n = nodes_[s];
            n.prev = tail_;
            n.next = kNone;
            if (tail_ != kNone)
                nodes_[tail_].next = s;
            else
                head_ = s;
            tail_ = s;
        }
    }
    const Node& node(uint32_t slot) const { return nodes_[slot]; }
    Node& node(uint32_t slot) { return nodes_[slot]; }

private:
    void unlink(uint32_t slot) {
        Node& n = nodes_[slot];
        if (n.prev != kNone) nodes_[n.prev].next = n.next; else head_ = n.next;
        if (n.next != kNone) nodes_[n.next].prev = n.prev; else tail_ = n.prev;
        n.live = false;
        n.key.clear();
        n.value = V{};
        free_.push_back(slot);
        --size_;
    }

    std::vector<Node> nodes_;
    std::vector<uint32_t> free_;
    std::unordered_map<std::string, uint32_t> index_;
    uint32_t head_ = kNone, tail_ = kNone;
    size_t size_ = 0;
};

} // namespace tap::rt
