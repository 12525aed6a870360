#pragma once
// The schema mechanism behind load_config(): each section lists its keys once (type, default, allowed values and a
// one-line doc) and that one list both reads the YAML and prints the key table of docs/configuration.md.
// A Reader walks the YAML tree and collects every problem as a ConfigError; nothing here throws.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/config.hpp"

namespace portier::app::schema {

// A value in the file: the node, where to point at it, and its key path ("http.tls.cert", "sip.listen[1]").
struct Item {
  YAML::Node node;
  YAML::Mark mark;  // the value's position, or its key's when the value is empty
  std::string path;
};

// A string value and where it came from: "" for the file itself, else "env NAME" / "file PATH" (a secret, never
// echoed in messages).
struct Text {
  std::string value;
  std::string source;
};

// One row of the documentation table.
struct KeyDoc {
  std::string key;
  std::string type;
  std::string default_value;
  std::string allowed;
  std::string doc;
};

// Returns "" when the text is acceptable, else what was expected (e.g. "expected HOST:PORT").
using TextCheck = std::function<std::string(std::string_view)>;

class Reader {
 public:
  Reader(std::string file, std::filesystem::path base_dir);

  void error(const YAML::Mark& mark, const std::string& path, const std::string& message);
  void error(const Item& item, const std::string& message) { error(item.mark, item.path, message); }
  std::size_t error_count() const { return errors_.size(); }
  // Every problem, ordered by position in the file.
  std::vector<ConfigError> take_errors();
  // Relative paths in the file are relative to this folder.
  const std::filesystem::path& base_dir() const { return base_dir_; }

  // Each reports its own error and returns nullopt when the value does not fit.
  std::optional<Text> text(const Item& item);  // a scalar, {file: PATH} or {env: NAME}
  // text(), then `check` (when set): a failed check reports "<problem>, got <value>".
  std::optional<Text> checked_text(const Item& item, const TextCheck& check);
  std::optional<long long> integer(const Item& item, long long min, long long max);
  std::optional<bool> boolean(const Item& item);
  // True for a list (a missing value counts as an empty one); otherwise reports "expected a list".
  bool is_list(const Item& item);

  // Calls `fn` for each key of a map, reporting duplicate and non-scalar keys instead.
  using EntryFn = std::function<void(const std::string& key, const YAML::Mark& key_mark, const Item& value)>;
  void for_each_entry(const Item& map, const EntryFn& fn);
  void for_each_element(const Item& list, const std::function<void(const Item&)>& fn);

 private:
  std::optional<Text> secret(const Item& item, const std::string& kind, const YAML::Node& arg);

  std::string file_;
  std::filesystem::path base_dir_;
  std::vector<ConfigError> errors_;
};

std::string join(std::string_view prefix, std::string_view key);
std::string quote(std::string_view text);
// How a node reads in a message: "a map", "a list", "nothing", or the quoted scalar.
std::string describe(const YAML::Node& node);
// What a string value reads as in a message; secrets are named by source, never shown.
std::string shown(const Text& text);
// "3600 (1 h)": seconds with a human hint.
std::string seconds_text(long long seconds);
std::string host_port_text(const HostPort& hp);
std::string list_text(const std::vector<std::string>& items);
// The child of a map by key (for cross-key checks); the map itself when the key is absent.
Item child(const Item& map, std::string_view key);

template <class T>
struct Field {
  std::string key;
  KeyDoc doc;  // doc.key is relative to the section
  std::function<void(Reader&, const Item&, T&)> read;
  // Sections add their own keys' docs under `path`.
  std::function<void(const std::string& path, std::vector<KeyDoc>&)> children;
  bool required = false;
};

// The keys of one section (a YAML map) and checks that span several keys.
template <class T>
class Schema {
 public:
  using Check = std::function<void(Reader&, const Item& section, const T&)>;

  Schema& add(Field<T> field) {
    fields_.push_back(std::move(field));
    return *this;
  }
  // Runs only when every key of the section read cleanly, so it sees no half-read values.
  Schema& check(Check c) {
    checks_.push_back(std::move(c));
    return *this;
  }

  void read(Reader& r, const Item& section, T& out) const {
    if (!section.node.IsNull() && !section.node.IsMap()) {
      r.error(section, "expected a map, got " + describe(section.node));
      return;
    }
    const std::size_t errors_before = r.error_count();
    std::vector<bool> seen(fields_.size(), false);
    if (section.node.IsMap()) {
      r.for_each_entry(section, [&](const std::string& key, const YAML::Mark& key_mark, const Item& value) {
        const std::size_t i = index_of(key);
        if (i == fields_.size()) {
          r.error(key_mark, value.path, "unknown key (known keys: " + known_keys() + ")");
          return;
        }
        seen[i] = true;
        fields_[i].read(r, value, out);
      });
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i].required && !seen[i]) r.error(section.mark, join(section.path, fields_[i].key), "is required");
    }
    if (r.error_count() != errors_before) return;
    for (const auto& c : checks_) c(r, section, out);
  }

  void describe_keys(const std::string& prefix, std::vector<KeyDoc>& out) const {
    for (const auto& f : fields_) {
      KeyDoc d = f.doc;
      d.key = join(prefix, f.key);
      out.push_back(d);
      if (f.children) f.children(d.key, out);
    }
  }

 private:
  std::size_t index_of(const std::string& key) const {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i].key == key) return i;
    return fields_.size();
  }
  std::string known_keys() const {
    std::string s;
    for (const auto& f : fields_) s += (s.empty() ? "" : ", ") + f.key;
    return s;
  }

  std::vector<Field<T>> fields_;
  std::vector<Check> checks_;
};

// ---- Field builders. Defaults shown in the docs come from a default-constructed T, so they cannot drift. ----

template <class T>
Field<T> make_field(std::string key, std::string type, std::string default_value, std::string allowed,
                    std::string doc, std::function<void(Reader&, const Item&, T&)> read) {
  Field<T> f;
  f.key = key;
  f.doc = KeyDoc{key, std::move(type), std::move(default_value), std::move(allowed), std::move(doc)};
  f.read = std::move(read);
  return f;
}

// A key the section cannot do without (list elements such as codecs[].name).
template <class T>
Field<T> required(Field<T> f) {
  f.required = true;
  f.doc.default_value = "(required)";
  return f;
}

template <class T, class N>
Field<T> integer(std::string key, N T::*m, long long min, long long max, std::string doc) {
  return make_field<T>(key, "integer", std::to_string(T{}.*m), std::to_string(min) + " .. " + std::to_string(max),
                       std::move(doc), [m, min, max](Reader& r, const Item& it, T& out) {
                         if (auto v = r.integer(it, min, max)) out.*m = static_cast<N>(*v);
                       });
}

// An integer from a short list, e.g. RTP packet times.
template <class T>
Field<T> int_choice(std::string key, int T::*m, std::vector<int> allowed, std::string doc) {
  std::string text;
  for (int a : allowed) text += (text.empty() ? "" : " | ") + std::to_string(a);
  return make_field<T>(key, "integer", std::to_string(T{}.*m), text, std::move(doc),
                       [m, allowed, text](Reader& r, const Item& it, T& out) {
                         auto v = r.integer(it, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
                         if (!v) return;
                         for (int a : allowed) {
                           if (a == *v) {
                             out.*m = a;
                             return;
                           }
                         }
                         r.error(it, "must be one of " + text + ", got " + std::to_string(*v));
                       });
}

// Whole seconds.
template <class T>
Field<T> duration(std::string key, std::chrono::seconds T::*m, long long min, long long max, std::string doc) {
  return make_field<T>(key, "seconds", seconds_text((T{}.*m).count()),
                       seconds_text(min) + " .. " + seconds_text(max), std::move(doc),
                       [m, min, max](Reader& r, const Item& it, T& out) {
                         if (auto v = r.integer(it, min, max)) out.*m = std::chrono::seconds{*v};
                       });
}

template <class T>
Field<T> boolean(std::string key, bool T::*m, std::string doc) {
  return make_field<T>(key, "boolean", (T{}.*m) ? "true" : "false", "true | false", std::move(doc),
                       [m](Reader& r, const Item& it, T& out) {
                         if (auto v = r.boolean(it)) out.*m = *v;
                       });
}

// A string, optionally checked; `allowed` describes the check for the docs.
template <class T>
Field<T> string(std::string key, std::string T::*m, std::string doc, TextCheck check = {},
                std::string allowed = "") {
  return make_field<T>(key, "string", quote(T{}.*m), std::move(allowed), std::move(doc),
                       [m, check](Reader& r, const Item& it, T& out) {
                         if (auto t = r.checked_text(it, check)) out.*m = t->value;
                       });
}

template <class T>
Field<T> choice(std::string key, std::string T::*m, std::vector<std::string> allowed, std::string doc) {
  std::string text;
  for (const auto& a : allowed) text += (text.empty() ? "" : " | ") + a;
  TextCheck check = [allowed, text](std::string_view v) -> std::string {
    for (const auto& a : allowed)
      if (a == v) return "";
    return "must be one of " + text;
  };
  return string<T>(std::move(key), m, std::move(doc), check, text);
}

// A file or folder; relative paths are resolved against the config file's folder after reading.
template <class T>
Field<T> path(std::string key, std::filesystem::path T::*m, std::string doc) {
  return make_field<T>(key, "path", quote((T{}.*m).string()), "", std::move(doc),
                       [m](Reader& r, const Item& it, T& out) {
                         if (auto t = r.text(it)) out.*m = t->value;
                       });
}

bool read_host_port(Reader& r, const Item& it, HostPort& out);

template <class T>
Field<T> host_port(std::string key, HostPort T::*m, std::string doc) {
  return make_field<T>(key, "HOST:PORT", quote(host_port_text(T{}.*m)), "port 1 .. 65535; IPv6 as [addr]:port",
                       std::move(doc), [m](Reader& r, const Item& it, T& out) { read_host_port(r, it, out.*m); });
}

void read_string_list(Reader& r, const Item& it, std::vector<std::string>& out, const TextCheck& check);

// A list of strings, each optionally checked. A given list replaces the default one.
template <class T>
Field<T> string_list(std::string key, std::vector<std::string> T::*m, std::string doc, TextCheck check = {},
                     std::string allowed = "") {
  return make_field<T>(key, "list of strings", list_text(T{}.*m), std::move(allowed), std::move(doc),
                       [m, check](Reader& r, const Item& it, T& out) { read_string_list(r, it, out.*m, check); });
}

void read_string_map(Reader& r, const Item& it, std::map<std::string, std::string>& out, const TextCheck& key_check,
                     const TextCheck& value_check);

template <class T>
Field<T> string_map(std::string key, std::map<std::string, std::string> T::*m, std::string doc,
                    TextCheck key_check, TextCheck value_check, std::string allowed) {
  return make_field<T>(key, "map of strings", (T{}.*m).empty() ? "{}" : "(see text)", std::move(allowed),
                       std::move(doc), [m, key_check, value_check](Reader& r, const Item& it, T& out) {
                         read_string_map(r, it, out.*m, key_check, value_check);
                       });
}

// A nested map with its own schema.
template <class T, class S>
Field<T> section(std::string key, S T::*m, Schema<S> schema, std::string doc) {
  auto f = make_field<T>(key, "map", "", "", std::move(doc),
                         [m, schema](Reader& r, const Item& it, T& out) { schema.read(r, it, out.*m); });
  f.children = [schema](const std::string& path, std::vector<KeyDoc>& out) { schema.describe_keys(path, out); };
  return f;
}

// A list of maps, each read with `schema` starting from a default E. A given list replaces the default one.
template <class T, class E>
Field<T> section_list(std::string key, std::vector<E> T::*m, Schema<E> schema, std::string doc,
                      std::string default_text) {
  auto f = make_field<T>(key, "list of maps", std::move(default_text), "", std::move(doc),
                         [m, schema](Reader& r, const Item& it, T& out) {
                           if (!r.is_list(it)) return;
                           std::vector<E> items;
                           r.for_each_element(it, [&](const Item& element) {
                             E e{};
                             schema.read(r, element, e);
                             items.push_back(std::move(e));
                           });
                           out.*m = std::move(items);
                         });
  f.children = [schema](const std::string& path, std::vector<KeyDoc>& out) {
    schema.describe_keys(path + "[]", out);
  };
  return f;
}

}  // namespace portier::app::schema
