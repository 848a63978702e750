// A small JSON reader (RFC 8259 values: objects, arrays, strings, numbers, true/false/null) and
// a string quoter. Used for setParameters, limits overrides and listUsers.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rtm_emulator {

class JsonValue {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };

  JsonValue() = default;

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isBool() const { return type_ == Type::Bool; }
  bool isNumber() const { return type_ == Type::Number; }
  bool isString() const { return type_ == Type::String; }
  bool isArray() const { return type_ == Type::Array; }
  bool isObject() const { return type_ == Type::Object; }

  bool asBool() const { return bool_; }
  double asNumber() const { return number_; }
  const std::string& asString() const { return string_; }
  const std::vector<JsonValue>& items() const { return items_; }
  // Object members in document order (a repeated key appears twice; find() returns the last).
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
  const JsonValue* find(const std::string& key) const;

  static JsonValue makeNull() { return JsonValue(); }
  static JsonValue makeBool(bool b);
  static JsonValue makeNumber(double d);
  static JsonValue makeString(std::string s);
  static JsonValue makeArray(std::vector<JsonValue> items);
  static JsonValue makeObject(std::vector<std::pair<std::string, JsonValue>> members);

 private:
  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses the whole text (surrounding whitespace allowed, nothing else). On failure returns false
// and, when error is non-null, describes the problem with its byte offset.
bool parseJson(const std::string& text, JsonValue* out, std::string* error);

// The JSON string literal (with quotes) for s, which is taken as UTF-8 and passed through.
std::string jsonQuote(const std::string& s);

}  // namespace rtm_emulator
