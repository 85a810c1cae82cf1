// The .xlsx workbook (libxlsxwriter) and the item columns it shares with the CSV / JSON Lines files.
#pragma once

#include <string>
#include <vector>

#include "eligo/payout.hpp"

namespace eligo::payout::detail {

std::vector<std::string> order_columns();
std::vector<std::string> order_cells(const Report& report, std::size_t i);
std::vector<std::string> record_columns();
std::vector<std::string> record_cells(const Report& report, std::size_t i);
// The same into a reused vector (its strings keep their buffers from row to row).
void order_cells_into(const Report& report, std::size_t i, std::vector<std::string>* cells);
void record_cells_into(const Report& report, std::size_t i, std::vector<std::string>* cells);

// A summary sheet, then one sheet per class (orders, then records of that class), then the rejected rows.
bool write_workbook(const Report& report, const std::string& path, std::string* error);

}  // namespace eligo::payout::detail
