#include "identity/region_table.hpp"

#include <algorithm>
#include <charconv>

#include "identity/csv_rows.hpp"
#include "identity/embedded_data.hpp"

namespace eligo::identity {
namespace detail {

const RegionTable& RegionTable::instance() {
  static const RegionTable table;
  return table;
}

RegionTable::RegionTable() : known_(kCodes / 64 + 1, 0) {
  const auto rows = read_csv(std::string_view(kGb2260Csv, kGb2260Csv_size), arena_);
  regions_.reserve(rows.size());
  for (const auto& fields : rows) {
    if (fields.size() < 5) continue;
    int code = 0;
    const auto [end, error] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), code);
    if (error != std::errc() || end != fields[0].data() + fields[0].size() || code < 0 || code >= kCodes) continue;
    Region region;
    region.code = code;
    region.name = fields[1];
    region.province = fields[2];
    region.current = fields[3] == "current";
    region.last_seen = fields[4];
    regions_.push_back(region);
  }
  std::sort(regions_.begin(), regions_.end(), [](const Region& a, const Region& b) { return a.code < b.code; });
  for (Region& region : regions_) {
    known_[region.code >> 6] |= std::uint64_t{1} << (region.code & 63);
    if (region.code % 100 != 0) {  // a county: name its prefecture
      if (const Region* prefecture = find(region.code / 100 * 100)) region.prefecture = prefecture->name;
    }
  }
}

const Region* RegionTable::find(int code) const {
  auto it = std::lower_bound(regions_.begin(), regions_.end(), code,
                             [](const Region& r, int c) { return r.code < c; });
  return it != regions_.end() && it->code == code ? &*it : nullptr;
}

}  // namespace detail

std::optional<Region> find_region(int code) {
  if (const Region* region = detail::RegionTable::instance().find(code)) return *region;
  return std::nullopt;
}

bool province_exists(int two_digits) { return detail::is_province(two_digits); }

std::string region_name(int code) {
  const auto& table = detail::RegionTable::instance();
  const Region* province = table.find(code / 10000 * 10000);
  if (province == nullptr) return "";
  const Region* region = table.find(code);
  if (region == nullptr || region->code == province->code) return std::string(province->name);
  std::string out(province->name);
  if (region->code % 100 == 0) {  // a prefecture
    out += ' ';
    out += region->name;
    return out;
  }
  if (!region->prefecture.empty() && region->prefecture != "市辖区" && region->prefecture != "县" &&
      region->prefecture != "省直辖县级行政区划" && region->prefecture != "自治区直辖县级行政区划") {
    out += ' ';
    out += region->prefecture;
  }
  out += ' ';
  out += region->name;
  return out;
}

std::size_t region_count() { return detail::RegionTable::instance().size(); }

}  // namespace eligo::identity
