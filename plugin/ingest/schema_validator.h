// A JSON Schema (draft 2020-12) validator for the keywords our schemas in
// abi/ use, compiled once and then run on every event.
//
// Supported: type, enum, const, required, properties, additionalProperties,
// items (one schema for every item), minItems, maxItems, minLength, maxLength
// (in code points), minimum, maximum, pattern (ECMAScript, unanchored),
// format "date-time" (RFC 3339 with an offset, asserted), $ref to "#" or a
// JSON pointer within the document ("#/$defs/name"), $defs, allOf, anyOf,
// oneOf, if/then/else, boolean schemas, and the ordercare extensions
// x-maxBytes (a string's UTF-8 length limit in bytes) and x-minDateTime /
// x-maxDateTime (the earliest and latest instant a date-time string may
// name, themselves RFC 3339 date-times). The annotations
// $schema, $id, $comment, title, description, examples and default are
// ignored. Any other keyword makes compilation fail, so a schema can never
// rely on a check this validator silently skips.
//
// One deliberate difference from the specification: "integer" accepts only
// numbers written without a fraction or exponent (1, not 1.0 or 1e0), since
// quantities and money arrive as integers and anything else is a mistake.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/json.h"

namespace ordercare::ingest {

// The first violation found: where (e.g. "data.items[2].quantity", or
// "(root)" for the document itself) and what was expected.
struct ValidationError {
  std::string path;
  std::string message;
};

class SchemaValidator {
 public:
  // Compiles schema; throws Failure(OC_ERR_INTERNAL) naming the location of an
  // unsupported keyword, a malformed keyword value or an unresolvable $ref.
  explicit SchemaValidator(const Json &schema);
  ~SchemaValidator();
  SchemaValidator(SchemaValidator &&) noexcept;
  SchemaValidator &operator=(SchemaValidator &&) noexcept;

  // The first violation of the schema by instance, or nullopt if it conforms.
  // Messages are built only for a violation. Safe to call concurrently.
  std::optional<ValidationError> validate(const Json &instance) const;

  // The schema as given, for callers that read annotations or enums from it.
  const Json &document() const;

 private:
  struct Compiled;
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace ordercare::ingest
