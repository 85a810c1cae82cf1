// Data files compiled into the library at configure time (src/identity/CMakeLists.txt), so lookups never
// depend on the working directory or an install prefix.
#pragma once

#include <cstddef>

namespace eligo::identity::detail {
extern const char kGb2260Csv[];  // data/regions/gb2260.csv
extern const std::size_t kGb2260Csv_size;
extern const char kCountriesCsv[];  // data/iso3166/countries.csv
extern const std::size_t kCountriesCsv_size;
}  // namespace eligo::identity::detail
