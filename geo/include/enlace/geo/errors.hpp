#pragma once
#include "enlace/core/errors.hpp"

#include <string>

namespace enlace::geo {

/// GDAL could not open, read or write a dataset: carries GDAL's own message and where it happened.
class geo_error : public core::error {
  public:
    geo_error(const std::string& message, std::string dataset, std::string layer = {}, std::string field = {});
    const std::string& dataset() const noexcept { return m_dataset; }
    const std::string& layer() const noexcept { return m_layer; }
    const std::string& field() const noexcept { return m_field; }

  private:
    std::string m_dataset, m_layer, m_field;
};

} // namespace enlace::geo
