// The batch workbook: a results sheet, a rejected sheet and a summary sheet, made from the spooled CSV
// lines (read back through the one record reader), so it holds exactly the rows of the CSV.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "batch/writers.hpp"

namespace eligo::batch {

bool write_workbook(const OutputPlan& plan, const std::string& results_csv, const std::string& rejected_csv,
                    const std::unordered_map<std::uint64_t, std::string>& held_reason, const Summary& summary, const std::string& lang,
                    bool with_file, std::string* error);

}  // namespace eligo::batch
