// ISO 3166-1 countries, from the compiled-in data/iso3166/countries.csv, loaded once on first use.
#include <algorithm>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "eligo/identity.hpp"
#include "identity/csv_rows.hpp"
#include "identity/embedded_data.hpp"

namespace eligo::identity {
namespace {

class CountryTable {
 public:
  static const CountryTable& instance() {
    static const CountryTable table;
    return table;
  }
  std::string_view by_alpha3(std::string_view code) const { return lookup(by_alpha3_, code); }
  std::string_view by_numeric(std::string_view code) const { return lookup(by_numeric_, code); }

 private:
  using Index = std::vector<std::pair<std::string_view, std::string_view>>;
  CountryTable() {
    for (const auto& fields : detail::read_csv(std::string_view(detail::kCountriesCsv, detail::kCountriesCsv_size), arena_)) {
      if (fields.size() < 3) continue;
      by_alpha3_.emplace_back(fields[0], fields[2]);
      by_numeric_.emplace_back(fields[1], fields[2]);
    }
    std::sort(by_alpha3_.begin(), by_alpha3_.end());
    std::sort(by_numeric_.begin(), by_numeric_.end());
  }
  static std::string_view lookup(const Index& index, std::string_view code) {
    auto it = std::lower_bound(index.begin(), index.end(), code,
                               [](const auto& entry, std::string_view c) { return entry.first < c; });
    return it != index.end() && it->first == code ? it->second : std::string_view();
  }
  std::deque<std::string> arena_;
  Index by_alpha3_;
  Index by_numeric_;
};

}  // namespace

std::string_view country_by_alpha3(std::string_view alpha3) { return CountryTable::instance().by_alpha3(alpha3); }
std::string_view country_by_numeric(std::string_view numeric3) {
  return CountryTable::instance().by_numeric(numeric3);
}

}  // namespace eligo::identity
