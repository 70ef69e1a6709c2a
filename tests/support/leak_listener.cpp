// Fails every test case whose outputs or temporary files hold a known secret (see known_secrets.hpp). A Catch2
// listener: when the test case's own section ends (its body has returned and its TempDirs are gone, but the case is
// still running), each finding becomes a failed check of that case, with where it was and a redacted excerpt.
#define CATCH_CONFIG_EXTERNAL_INTERFACES  // TestEventListenerBase and the reporter types
#include <catch2/catch.hpp>

#include "tests/support/known_secrets.hpp"

namespace hoist::test {
namespace {

class LeakListener : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;

  void testCaseStarting(Catch::TestCaseInfo const& info) override {
    TestEventListenerBase::testCaseStarting(info);
    depth_ = 0;
  }
  void sectionStarting(Catch::SectionInfo const& info) override {
    TestEventListenerBase::sectionStarting(info);
    ++depth_;
  }
  void sectionEnded(Catch::SectionStats const& stats) override {
    // Depth 1 is the test case itself; Catch runs it once per leaf section, so this runs once per pass.
    if (--depth_ == 0) {
      for (const Leak& leak : take_leaks()) FAIL_CHECK("secret leaked: " << leak.describe());
    }
    TestEventListenerBase::sectionEnded(stats);
  }

 private:
  int depth_ = 0;
};

CATCH_REGISTER_LISTENER(LeakListener)

}  // namespace
}  // namespace hoist::test
