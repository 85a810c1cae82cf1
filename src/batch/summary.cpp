// The batch summary as text for people and as JSON ("eligo.batch/1") for programs; amounts exact strings.
#include <nlohmann/json.hpp>

#include "core/json_dump.hpp"
#include "eligo/batch.hpp"

namespace eligo::batch {
namespace {

const char* verdict_zh(int v) {
  static const char* names[] = {"符合", "不符合", "待补充材料", "错误"};
  return names[v];
}

std::string rows_text(const Summary& s, const Duplicate& d, const char* sep) {
  std::string out;
  for (const auto& [f, l] : d.rows) {
    if (!out.empty()) out += sep;
    if (s.inputs.size() > 1) out += s.inputs[f].path + ":";
    out += std::to_string(l);
  }
  return out;
}

nlohmann::ordered_json tally_json(const Tally& t) {
  nlohmann::ordered_json j;
  j["results"] = t.results;
  nlohmann::ordered_json v = nlohmann::ordered_json::object();
  for (int i = 0; i < 4; ++i) v[verdict_name(static_cast<Verdict>(i))] = t.verdicts[i];
  j["verdicts"] = v;
  nlohmann::ordered_json f = nlohmann::ordered_json::object();
  for (const auto& [id, n] : t.failed) f[id] = n;
  j["failed_checks"] = f;
  nlohmann::ordered_json sums = nlohmann::ordered_json::object();
  for (const auto& [name, sum] : t.sums) sums[name] = sum.to_string();
  j["sums"] = sums;
  return j;
}

}  // namespace

std::string Summary::to_json() const {
  nlohmann::ordered_json j;
  j["format"] = "eligo.batch/1";
  j["pack"] = {{"id", pack_id}, {"version", pack_version}, {"sha256", pack_hash}};
  j["as_of"] = as_of.to_string();
  nlohmann::ordered_json ins = nlohmann::ordered_json::array();
  for (const auto& i : inputs)
    ins.push_back({{"file", i.path}, {"rows", i.rows}, {"rejected", i.rejected}, {"blank_lines", i.blank_lines}});
  j["inputs"] = ins;
  j["rows"] = rows;
  j["results"] = results;
  j["written"] = written;
  j["rejected"] = rejected;
  j["with_data_errors"] = with_data_errors;
  const nlohmann::ordered_json t = tally_json(all);
  for (auto it = t.begin(); it != t.end(); ++it)
    if (it.key() != "results") j[it.key()] = it.value();
  j["numeric_outputs"] = numeric_outputs;
  if (!by.empty()) {
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (const auto& [value, g] : this->groups) {
      nlohmann::ordered_json x = {{"value", value}};
      const nlohmann::ordered_json gt = tally_json(g);
      for (auto it = gt.begin(); it != gt.end(); ++it) x[it.key()] = it.value();
      groups.push_back(x);
    }
    j["by"] = {{"column", by}, {"groups", groups}};
  }
  nlohmann::ordered_json dups = nlohmann::ordered_json::array();
  for (const auto& d : duplicates) {
    nlohmann::ordered_json r = nlohmann::ordered_json::array();
    for (const auto& [f, l] : d.rows) r.push_back({{"file", inputs[f].path}, {"line", l}});
    dups.push_back({{"key", d.key}, {"rows", r}});
  }
  j["duplicates"] = {{"key", key_path}, {"ids", duplicates.size()}, {"rows", duplicate_rows},
                     {"held_back", held_back}, {"list", dups}};
  if (!joins.empty()) {
    nlohmann::ordered_json js = nlohmann::ordered_json::array();
    for (const auto& x : joins)
      js.push_back({{"name", x.name}, {"file", x.file}, {"key", x.key}, {"rows", x.rows}, {"keys", x.keys},
                    {"missing_key", x.missing_key}, {"bad_rows", x.bad_rows}, {"matched_keys", x.matched_keys},
                    {"unmatched_keys", x.unmatched_keys}, {"unmatched_rows", x.unmatched_rows},
                    {"problems", x.problems}});
    j["joins"] = js;
  }
  if (!orders_path.empty())
    j["payout_orders"] = {{"file", orders_path}, {"orders", orders}, {"amount", orders_amount.to_string()},
                          {"held_back", orders_held_back}, {"eligible_without_amount", orders_without_amount}};
  j["files"] = files;
  return eligo::json_dump(j, 2) + "\n";
}

std::string Summary::to_text(const std::string& lang) const {
  const bool zh = lang != "en";
  std::string s;
  s += "eligo batch: " + pack_id + " " + pack_version + " (sha256:" + pack_hash.substr(0, 12) + "), " +
       (zh ? "政策适用日 " : "as of ") + as_of.to_string() + "\n";
  if (zh) {
    s += "读入 " + std::to_string(rows) + " 行：结果 " + std::to_string(results) + " 行，被拒 " + std::to_string(rejected) + " 行";
    if (written != results) s += "（写出 " + std::to_string(written) + " 行）";
  } else {
    s += std::to_string(rows) + " rows read: " + std::to_string(results) + " results, " + std::to_string(rejected) + " rejected";
    if (written != results) s += " (" + std::to_string(written) + " written)";
  }
  s += "\n ";
  for (int v = 0; v < 4; ++v)
    s += std::string(v ? "," : "") + " " + (zh ? verdict_zh(v) : verdict_name(static_cast<Verdict>(v))) + " " +
         std::to_string(all.verdicts[v]);
  s += "\n";
  if (with_data_errors)
    s += (zh ? "  有数据错误但已判定 " : "  decided with data errors ") + std::to_string(with_data_errors) + "\n";
  if (!all.failed.empty()) {
    s += zh ? "未通过的检查（第一项）：" : "failing checks (first):";
    bool first = true;
    for (const auto& [id, n] : all.failed) {
      s += std::string(first ? " " : ", ") + id + " " + std::to_string(n);
      first = false;
    }
    s += "\n";
  }
  if (!all.sums.empty()) {
    s += zh ? "符合者合计：" : "sums over eligible rows:";
    bool first = true;
    for (const auto& [name, sum] : all.sums) {
      s += std::string(first ? " " : ", ") + name + " " + sum.to_string();
      first = false;
    }
    s += "\n";
  }
  if (!by.empty()) {
    s += (zh ? "按 " : "by ") + by + (zh ? " 分组：\n" : ":\n");
    for (const auto& [value, t] : groups) {
      s += "  " + (value.empty() ? std::string(zh ? "（空）" : "(empty)") : value) + ": " + std::to_string(t.results);
      for (int v = 0; v < 4; ++v)
        if (t.verdicts[v]) s += std::string(", ") + (zh ? verdict_zh(v) : verdict_name(static_cast<Verdict>(v))) + " " + std::to_string(t.verdicts[v]);
      for (const auto& [name, sum] : t.sums) s += ", " + name + " " + sum.to_string();
      s += "\n";
    }
  }
  if (!key_found) {
    s += zh ? "未找到证件号字段：未检查重复\n" : "no ID field: duplicates not checked\n";
  } else if (!duplicates.empty()) {
    if (zh)
      s += "重复：" + std::to_string(duplicates.size()) + " 个证件号出现在 " + std::to_string(duplicate_rows) + " 行；" +
           std::to_string(held_back) + " 个符合行暂不发放\n";
    else
      s += "duplicates: " + std::to_string(duplicates.size()) + " IDs on " + std::to_string(duplicate_rows) + " rows; " +
           std::to_string(held_back) + " eligible rows held back\n";
    std::size_t shown = 0;
    for (const auto& d : duplicates) {
      if (++shown > 20) {
        s += "  … " + std::to_string(duplicates.size() - 20) + (zh ? " 个更多\n" : " more\n");
        break;
      }
      s += "  " + d.key + (zh ? "：第 " : ": lines ") + rows_text(*this, d, zh ? "、" : ", ") + (zh ? " 行\n" : "\n");
    }
  }
  for (const auto& x : joins) s += (zh ? "关联表 " : "join ") + x.text + "\n";
  if (!orders_path.empty()) {
    if (zh)
      s += "兑付单 " + orders_path + "：" + std::to_string(orders) + " 张，金额 " + orders_amount.to_string() + "；重复暂不发放 " +
           std::to_string(orders_held_back) + "；符合但无金额 " + std::to_string(orders_without_amount) + "\n";
    else
      s += "payout orders " + orders_path + ": " + std::to_string(orders) + ", amount " + orders_amount.to_string() +
           "; held back as duplicates " + std::to_string(orders_held_back) + "; eligible without an amount " +
           std::to_string(orders_without_amount) + "\n";
  }
  return s;
}

}  // namespace eligo::batch
