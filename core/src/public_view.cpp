// The public view of a service: what anyone may see of it.
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"

#include <algorithm>

namespace enlace::core {

PublicService public_view(const Service& s) {
    PublicService out;
    static_cast<ServiceFields&>(out) = s;
    if (s.site && s.public_point) {
        // A sensitive site is shown at its coarsened place only, and without its street.
        out.site =
            PublicSite{*s.public_point, s.coarsened ? LocationPrecision::approximate : s.site->precision, s.coarsened};
        if (s.coarsened) {
            out.address.street.clear();
            out.address.postal_code.clear();
        }
    }
    std::erase_if(out.contacts, [](const Contact& c) { return c.personal; });
    return out;
}

std::optional<PublicSite> ServiceView::site() const {
    if (m_record) {
        if (!m_record->site) return std::nullopt;
        return PublicSite{m_record->site->point, m_record->site->precision, false};
    }
    return m_public->site;
}

} // namespace enlace::core
