// libFuzzer target: the emulator's JSON reader and string quoter (emulator/src/common/json.cpp), which
// read setParameters' argument and the limits overrides of createInProcess.
//
// Input: any bytes, taken as a JSON text. Checks, besides crash/ASan/UBSan/leak freedom:
//   - a rejected text leaves the output untouched and gives an error that names an offset;
//   - an accepted value written back canonically (jsonQuote for strings, %.17g for numbers)
//     parses again to the same value, and writing that gives the same text (a fixpoint);
//   - JsonValue::find returns the last member of a repeated key;
//   - nesting stays within the reader's depth limit;
//   - jsonQuote(bytes) is JSON without control characters that parses back to exactly those
//     bytes (the quoter passes non-ASCII through; the reader does not validate UTF-8).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "fuzz_check.h"
#include "common/json.h"

using rtm_emulator::JsonValue;

namespace {

constexpr int kMaxLevels = 65;  // json.cpp: kMaxDepth = 64, the top value at depth 0

void write(const JsonValue& v, std::string* out) {
  switch (v.type()) {
    case JsonValue::Type::Null:
      *out += "null";
      return;
    case JsonValue::Type::Bool:
      *out += v.asBool() ? "true" : "false";
      return;
    case JsonValue::Type::Number: {
      FUZZ_CHECK(std::isfinite(v.asNumber()), "a parsed number is not finite");
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", v.asNumber());
      *out += buf;
      return;
    }
    case JsonValue::Type::String:
      *out += rtm_emulator::jsonQuote(v.asString());
      return;
    case JsonValue::Type::Array: {
      *out += '[';
      bool first = true;
      for (const JsonValue& item : v.items()) {
        if (!first) *out += ',';
        first = false;
        write(item, out);
      }
      *out += ']';
      return;
    }
    case JsonValue::Type::Object: {
      *out += '{';
      bool first = true;
      for (const auto& m : v.members()) {
        if (!first) *out += ',';
        first = false;
        *out += rtm_emulator::jsonQuote(m.first);
        *out += ':';
        write(m.second, out);
      }
      *out += '}';
      return;
    }
  }
  FUZZ_CHECK(false, "unknown JsonValue type %d", static_cast<int>(v.type()));
}

bool same(const JsonValue& a, const JsonValue& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case JsonValue::Type::Null:
      return true;
    case JsonValue::Type::Bool:
      return a.asBool() == b.asBool();
    case JsonValue::Type::Number:
    {
      // Bit-exact, so that -0 and 0 differ (%.17g keeps the sign and every digit).
      const double x = a.asNumber();
      const double y = b.asNumber();
      return std::memcmp(&x, &y, sizeof(double)) == 0;
    }
    case JsonValue::Type::String:
      return a.asString() == b.asString();
    case JsonValue::Type::Array:
      if (a.items().size() != b.items().size()) return false;
      for (std::size_t i = 0; i < a.items().size(); ++i) {
        if (!same(a.items()[i], b.items()[i])) return false;
      }
      return true;
    case JsonValue::Type::Object:
      if (a.members().size() != b.members().size()) return false;
      for (std::size_t i = 0; i < a.members().size(); ++i) {
        if (a.members()[i].first != b.members()[i].first) return false;
        if (!same(a.members()[i].second, b.members()[i].second)) return false;
      }
      return true;
  }
  return false;
}

int levels(const JsonValue& v) {
  int deepest = 0;
  if (v.isArray()) {
    for (const JsonValue& item : v.items()) deepest = std::max(deepest, levels(item));
    return deepest + 1;
  }
  if (v.isObject()) {
    for (const auto& m : v.members()) deepest = std::max(deepest, levels(m.second));
    return deepest + 1;
  }
  return 0;
}

void checkFind(const JsonValue& v) {
  if (v.isArray()) {
    for (const JsonValue& item : v.items()) checkFind(item);
    return;
  }
  if (!v.isObject()) return;
  const auto& members = v.members();
  for (std::size_t i = 0; i < members.size(); ++i) {
    std::size_t last = i;
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      if (members[j].first == members[i].first) last = j;
    }
    FUZZ_CHECK(v.find(members[i].first) == &members[last].second, "find() is not the last member of a repeated key");
    checkFind(members[i].second);
  }
}

void checkQuote(const std::string& bytes) {
  const std::string quoted = rtm_emulator::jsonQuote(bytes);
  for (const char c : quoted) {
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20, "jsonQuote left a control character (0x%02x)",
               static_cast<unsigned char>(c));
  }
  JsonValue back;
  std::string error;
  FUZZ_CHECK(rtm_emulator::parseJson(quoted, &back, &error), "jsonQuote's output does not parse: %s", error.c_str());
  FUZZ_CHECK(back.isString() && back.asString() == bytes, "jsonQuote does not round-trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  JsonValue value = JsonValue::makeString("untouched");
  std::string error;
  const bool ok = rtm_emulator::parseJson(text, &value, &error);
  // The same answer without the optional outputs.
  FUZZ_CHECK(rtm_emulator::parseJson(text, nullptr, nullptr) == ok, "the answer depends on the output pointers");

  if (!ok) {
    FUZZ_CHECK(value.isString() && value.asString() == "untouched", "a rejected text changed the output");
    FUZZ_CHECK(!error.empty() && error.find(" at offset ") != std::string::npos, "error without an offset: '%s'",
               error.c_str());
  } else {
    FUZZ_CHECK(levels(value) <= kMaxLevels, "nesting of %d levels accepted", levels(value));
    checkFind(value);

    std::string once;
    write(value, &once);
    JsonValue again;
    std::string againError;
    FUZZ_CHECK(rtm_emulator::parseJson(once, &again, &againError), "the written value does not parse: %s\n  %s",
               againError.c_str(), once.c_str());
    FUZZ_CHECK(same(value, again), "the written value parses differently:\n  %s", once.c_str());
    std::string twice;
    write(again, &twice);
    FUZZ_CHECK(once == twice, "writing is not a fixpoint:\n  %s\n  %s", once.c_str(), twice.c_str());

    // With surrounding JSON whitespace the value is the same.
    JsonValue padded;
    FUZZ_CHECK(rtm_emulator::parseJson(" \t\r\n" + text + "\n ", &padded, nullptr), "whitespace around it is refused");
    FUZZ_CHECK(same(value, padded), "whitespace around it changes the value");
  }

  checkQuote(text);
  return 0;
}
