// How a process follows other processes' writes between its reads: woken by the store's change
// feed, it brings the shared indexes and record cache to the newest revision, so that the next
// request finds them current instead of advancing them itself.
#include "enlace/core/registry.hpp"
#include "enlace/core/store.hpp"
#include "registry_impl.hpp"

namespace enlace::core {

std::unique_ptr<ChangeFeed> Registry::change_feed() const { return m_impl->store->change_feed(); }

std::int64_t Registry::catch_up(std::optional<std::chrono::steady_clock::time_point> listening_since) const {
    const auto revision = m_impl->read([&] {
        // Only indexes some request has needed: building one nobody asked for would cost seconds.
        for (const auto audience : {Audience::public_, Audience::authorised})
            if (m_impl->live->has_index(audience)) m_impl->index(audience);
        return m_impl->snapshot_revision;
    });
    if (listening_since) m_impl->live->confirm_following(*listening_since);
    return revision;
}

void Registry::stop_following() const { m_impl->live->stop_following(); }

std::int64_t Registry::followed_revision() const { return m_impl->live->known(); }

} // namespace enlace::core
