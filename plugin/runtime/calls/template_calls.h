#pragma once

#include "domain/template_renderer.h"
#include "runtime/call_registry.h"

namespace ordercare::runtime {

// templates.list {audience?, language?, limit?, cursor?}: the message
// templates in effect (the defaults with the config's laid over them), per
// language, with their placeholders and whether an agent may send them to
// a customer (case.send_template), for an agent UI's macro menu.
void register_template_calls(CallRegistry &registry, const domain::TemplateSet &templates);

}  // namespace ordercare::runtime
