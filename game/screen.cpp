#include "game/screen.hpp"

#include "game/gfx.hpp"

namespace qv::game {

bool ScreenStack::apply() {
    if (pending_.empty()) {
        return false;
    }
    Screen* before = top();
    auto pending = std::move(pending_);
    pending_.clear();
    bool popped = false;
    for (auto& p : pending) {
        switch (p.op) {
        case Op::Push:
            stack_.push_back(std::move(p.screen));
            break;
        case Op::Pop:
            if (!stack_.empty()) {
                stack_.pop_back();
                popped = true;
            }
            break;
        case Op::Replace:
            if (!stack_.empty()) {
                stack_.pop_back();
            }
            stack_.push_back(std::move(p.screen));
            break;
        case Op::Reset:
            stack_.clear();
            stack_.push_back(std::move(p.screen));
            break;
        }
    }
    if (popped && top() != nullptr && top() != before) {
        top()->resumed();
    }
    return top() != before;
}

void ScreenStack::draw(Gfx& gfx) {
    if (stack_.empty()) {
        return;
    }
    std::size_t first = stack_.size() - 1;
    while (first > 0 && stack_[first]->is_overlay()) {
        --first;
    }
    for (std::size_t i = first; i < stack_.size(); ++i) {
        stack_[i]->draw(gfx);
    }
}

} // namespace qv::game
