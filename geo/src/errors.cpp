#include "enlace/geo/errors.hpp"

namespace enlace::geo {

geo_error::geo_error(const std::string& message, std::string dataset, std::string layer, std::string field)
    : core::error(message), m_dataset(std::move(dataset)), m_layer(std::move(layer)), m_field(std::move(field)) {}

} // namespace enlace::geo
