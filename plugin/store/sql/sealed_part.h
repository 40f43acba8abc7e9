// A document's personal part as this connection last sealed it: under
// which key, the plaintext, and the sealed member written for it.
//
// An order or a case is written again and again with the same customer's
// details. Written again with the same plaintext under the same key, the
// member sealed last time is written again instead of being sealed anew
// (sealed_document.h, seal_entity): a nonce, a cipher pass and a base64
// text per write, about 5,500 instructions of the writer's. The text still
// changes only with the content (document_memo.h relies on that): a
// different plaintext is always sealed afresh.
#pragma once

#include <string>

namespace ordercare::store::sql {

struct SealedPart {
  std::string key_id;
  std::string plaintext;  // the taken text, {"<json pointer>": value}
  std::string sealed;     // the "pii" member's text; empty: none was sealed
  // Set on a write that wrote the last part again, instead of copying it:
  // the part remembered stays.
  bool again = false;
};

}  // namespace ordercare::store::sql
