// What the opaque handles of ordercare.h are on this side of the boundary.
#pragma once

#include <memory>
#include <string>

#include "ordercare.h"
#include "runtime/plugin_handle.h"

struct oc_plugin {
  std::unique_ptr<ordercare::runtime::PluginHandle> impl;
};

struct oc_buffer {
  std::string bytes;
};
