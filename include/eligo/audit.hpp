// eligo/audit.hpp — the decision log: an append-only JSON Lines file where each line carries the SHA-256 of
// the line before it, so that editing, deleting or reordering any line breaks the chain (R11).
//
//   auto log = eligo::audit::Writer::open({"decisions.jsonl", key_from_env}, &error);
//   Decision d = pack.evaluate(input_json, options);
//   log->append(d, input_json, request_id, options.clear_pii);   // thread-safe; one line, written with one write()
//   ...
//   eligo::audit::VerifyResult v = eligo::audit::verify(eligo::audit::chain_files("decisions.jsonl"));
//   v.ok, v.lines, v.problem ("decisions.jsonl:17: prev is not the SHA-256 of line 16 …")
//
// One line (keys in this order; `eligo audit verify` and docs/server.md describe each):
//   {"prev":"<64 hex>","seq":17,"time":"2026-11-29T03:00:00.123Z","request_id":"…",
//    "pack":{"id":"…","version":"…","sha256":"…"},"as_of":"2024-05-01","input_hmac":"<64 hex>",
//    "verdict":"ineligible","reasons":[{"check":"household","status":"failed","reason":"…"}],
//    "total":"85","outputs":{"amount":"5000.00"},"data_errors":["E3001"]}
// - prev: SHA-256 (hex) of the previous line's bytes without its newline; 64 zeros on the chain's first line.
// - input_hmac: HMAC-SHA-256 of the applicant's input text with the writer's key, so an auditor holding the
//   key and the input can show which input a decision was made on, while the log itself holds no PII.
// - reasons and outputs are the decision's masked texts. A decision made with clear_pii has them withheld
//   ("clear_pii":true and no reasons/outputs), so the log never holds unmasked PII.
// Rotation: when the file reaches rotate_bytes it is renamed PATH.1, PATH.2, … (the next free number) and a
// new PATH continues the chain: its first line's prev is the hash of the rotated file's last line, and seq
// goes on counting. A writer reopening an existing log continues its chain the same way.
// What the chain cannot show by itself: the newest lines cut off the end. Keep the head (Writer::head(),
// shown by eligo-server's /v1/status and printed by verify) somewhere else and pass it to verify.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/pack.hpp"

namespace eligo::audit {

struct WriterOptions {
  std::string path;                   // the log file; created if absent, appended to if present
  std::string hmac_key;               // the key of input_hmac; required (an unkeyed hash of an ID is guessable)
  std::uint64_t rotate_bytes = 0;     // 0 = never rotate
  bool fsync = false;                 // fsync after every line (slow; for logs that must survive power loss)
};

struct Head {
  std::uint64_t seq = 0;              // lines written in the whole chain
  std::string sha256;                 // of the last line; 64 zeros when empty
};

class Writer {
 public:
  // nullptr and *error when the file cannot be opened, its last line cannot be read, or there is no key.
  static std::unique_ptr<Writer> open(const WriterOptions& options, std::string* error);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Appends the line for `decision`, made on the applicant text `input` with EvalOptions::clear_pii =
  // `clear_pii` (then its reasons and outputs are withheld). Thread-safe. false and *error when the write
  // fails (the chain is unchanged then).
  bool append(const Decision& decision, std::string_view input, std::string_view request_id, bool clear_pii = false,
              std::string* error = nullptr);
  Head head() const;
  std::uint64_t failures() const;     // appends that failed

 private:
  Writer() = default;
  bool rotate(std::string* error);
  WriterOptions options_;
  mutable std::mutex mu_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  Head head_;
  std::uint64_t failures_ = 0;
};

// The line a decision would be logged as, without prev and seq (exposed for tests and the CLI).
std::string decision_record(const Decision& decision, std::string_view input, std::string_view request_id,
                            bool clear_pii, std::string_view hmac_key);

struct VerifyResult {
  bool ok = false;
  std::uint64_t lines = 0;            // lines verified before the first problem (all, when ok)
  Head head;                          // of the last line verified
  std::string problem;                // "FILE:LINE: what is wrong" when !ok
};

// The files of a chain in order: PATH.1, PATH.2, … (rotated) then PATH.
std::vector<std::string> chain_files(const std::string& path);
// Checks the chain across `files` in order: every line is JSON with prev and seq, prev is the SHA-256 of
// the line before (across files), seq counts up by one from 1. `expected_head` (hex), when given, must be
// the hash of the last line (this is what detects lines cut off the end).
VerifyResult verify(const std::vector<std::string>& files, std::string_view expected_head = {});

std::string sha256_hex(std::string_view bytes);

}  // namespace eligo::audit
