// A directory under $TMPDIR that exists for one test and is removed after.
#pragma once

#include <string>

namespace ordercare::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The source tree, for tests that read abi/ or data files.
std::string source_dir();

}  // namespace ordercare::testing
