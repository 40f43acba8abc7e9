#include "boundary/struct_size.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <vector>

#include "common/failure.h"

namespace ordercare::boundary {
namespace {

// A struct as this library knows it: version 1 had two fields, version 2
// appended a third.
struct Widget {
  std::uint32_t struct_size;
  std::uint32_t flags;
  std::uint64_t added_in_v2;
};
constexpr std::size_t kWidgetV1Size = offsetof(Widget, added_in_v2);

// What a host built against a later version passes: ours plus a tail.
struct NewerWidget {
  Widget known;
  std::uint64_t added_in_v3;
  std::uint32_t added_in_v4;
  std::uint32_t padding;
};

oc_status status_of(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Failure &failure) {
    return failure.status();
  }
  return OC_OK;
}

TEST(StructSize, TheCurrentSizeIsCopiedAsIs) {
  Widget in{sizeof(Widget), 7, 99};
  const Widget out = copy_struct_from_user(&in, kWidgetV1Size, "widget");
  EXPECT_EQ(out.struct_size, sizeof(Widget));
  EXPECT_EQ(out.flags, 7u);
  EXPECT_EQ(out.added_in_v2, 99u);
}

TEST(StructSize, AnOlderStructGetsItsMissingFieldsZeroed) {
  // struct_size says v1, so added_in_v2 is not the host's: whatever lies
  // there is ignored and the field reads as 0.
  Widget in{static_cast<std::uint32_t>(kWidgetV1Size), 3, 0xDEADBEEF};
  const Widget out = copy_struct_from_user(&in, kWidgetV1Size, "widget");
  EXPECT_EQ(out.flags, 3u);
  EXPECT_EQ(out.added_in_v2, 0u);
  EXPECT_EQ(out.struct_size, sizeof(Widget));
}

TEST(StructSize, ASizeBelowVersionOneIsRefused) {
  for (std::uint32_t size : {0u, 1u, 4u, static_cast<std::uint32_t>(kWidgetV1Size - 1)}) {
    Widget in{size, 1, 0};
    try {
      copy_struct_from_user(&in, kWidgetV1Size, "widget");
      ADD_FAILURE() << "size " << size << " accepted";
    } catch (const Failure &failure) {
      EXPECT_EQ(failure.status(), OC_ERR_STRUCT_SIZE);
      EXPECT_NE(std::string(failure.what()).find("widget.struct_size is " + std::to_string(size)),
                std::string::npos)
          << failure.what();
    }
  }
}

TEST(StructSize, ANewerStructWithAZeroTailIsAccepted) {
  NewerWidget newer{};
  newer.known = {sizeof(NewerWidget), 5, 6};
  const Widget out = copy_struct_from_user(&newer.known, kWidgetV1Size, "widget");
  EXPECT_EQ(out.flags, 5u);
  EXPECT_EQ(out.added_in_v2, 6u);
  EXPECT_EQ(out.struct_size, sizeof(Widget));
}

TEST(StructSize, ANewerStructWithANonZeroTailIsRefused) {
  for (std::size_t byte = 0; byte < sizeof(NewerWidget) - sizeof(Widget); ++byte) {
    NewerWidget newer{};
    newer.known = {sizeof(NewerWidget), 5, 6};
    reinterpret_cast<unsigned char *>(&newer)[sizeof(Widget) + byte] = 1;
    EXPECT_EQ(status_of([&] { copy_struct_from_user(&newer.known, kWidgetV1Size, "widget"); }),
              OC_ERR_STRUCT_SIZE)
        << "tail byte " << byte;
  }
}

TEST(StructSize, OnlyTheTailTheHostDeclaredIsChecked) {
  // A host one version ahead declares 8 more bytes; what follows is not
  // its struct and may hold anything.
  NewerWidget newer{};
  newer.known = {static_cast<std::uint32_t>(sizeof(Widget) + 8), 1, 2};
  newer.added_in_v4 = 0xFFFF;
  EXPECT_EQ(status_of([&] { copy_struct_from_user(&newer.known, kWidgetV1Size, "widget"); }), OC_OK);
}

// The tail is checked only up to a bound: a size beyond it is refused
// before a byte past what we know is read, however zero that memory is.
TEST(StructSize, ASizeOverTheBoundIsRefusedWithoutReadingTheTail) {
  std::vector<unsigned char> block(2 * kMaxStructSize, 0);
  auto *in = reinterpret_cast<Widget *>(block.data());
  in->struct_size = static_cast<std::uint32_t>(kMaxStructSize);
  EXPECT_EQ(status_of([&] { copy_struct_from_user(in, kWidgetV1Size, "widget"); }), OC_OK);
  for (std::uint32_t size : {static_cast<std::uint32_t>(kMaxStructSize + 1),
                             static_cast<std::uint32_t>(block.size()), 0xFFFFFFFFu}) {
    in->struct_size = size;
    try {
      copy_struct_from_user(in, kWidgetV1Size, "widget");
      ADD_FAILURE() << "size " << size << " accepted";
    } catch (const Failure &failure) {
      EXPECT_EQ(failure.status(), OC_ERR_STRUCT_SIZE);
      EXPECT_NE(std::string(failure.what()).find("4096"), std::string::npos) << failure.what();
    }
  }
}

TEST(StructSize, TheAbiStructsFollowTheRule) {
  oc_options options{};
  options.struct_size = sizeof options;
  options.flags = OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD;
  EXPECT_EQ(copy_struct_from_user(&options, sizeof(oc_options), "oc_options").flags,
            static_cast<std::uint32_t>(OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD));
  oc_host host{};
  host.struct_size = 4;
  EXPECT_EQ(status_of([&] { copy_struct_from_user(&host, sizeof(oc_host), "oc_host"); }),
            OC_ERR_STRUCT_SIZE);
}

}  // namespace
}  // namespace ordercare::boundary
