// FakeProcessRunner is what executor and step tests stand on, so its scripting rules are pinned down here.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "tests/support/fake_process_runner.hpp"

using hoist::CancelToken;
using hoist::OutputStream;
using hoist::ProcessResult;
using hoist::ProcessSpec;
using hoist::test::FakeProcessRunner;

namespace {

ProcessSpec spec_of(std::string name) {
  ProcessSpec spec;
  spec.argv = {std::move(name)};
  return spec;
}

}  // namespace

TEST_CASE("fake runner: records specs and answers exit 0 by default", "[fake]") {
  FakeProcessRunner fake;
  CancelToken cancel;
  auto r = fake.run(spec_of("a"), nullptr, cancel);
  CHECK(r.ok());
  CHECK(r.exit_code == 0);
  fake.run(spec_of("b"), nullptr, cancel);
  REQUIRE(fake.calls() == 2);
  CHECK(fake.specs()[0].argv[0] == "a");
  CHECK(fake.specs()[1].argv[0] == "b");
}

TEST_CASE("fake runner: queued results first, then the handler, then the default", "[fake]") {
  FakeProcessRunner fake;
  CancelToken cancel;
  std::vector<std::pair<std::string, OutputStream>> lines;
  auto sink = [&](std::string_view line, OutputStream stream) { lines.emplace_back(line, stream); };

  fake.set_exit_code(9);
  fake.push_result(FakeProcessRunner::exited(1), {{"first", OutputStream::err}});
  fake.push_result(FakeProcessRunner::exited(2));
  CHECK(fake.run(spec_of("x"), sink, cancel).exit_code == 1);
  CHECK(fake.run(spec_of("x"), sink, cancel).exit_code == 2);
  CHECK(fake.run(spec_of("x"), sink, cancel).exit_code == 9);
  CHECK(lines == std::vector<std::pair<std::string, OutputStream>>{{"first", OutputStream::err}});

  fake.set_handler([](const ProcessSpec& spec, const hoist::LineSink& on_line, const CancelToken&) {
    on_line("ran " + spec.argv[0], OutputStream::out);
    ProcessResult r;
    r.exit_code = static_cast<int>(spec.argv[0].size());
    return r;
  });
  CHECK(fake.run(spec_of("four"), sink, cancel).exit_code == 4);
  CHECK(lines.back().first == "ran four");
  CHECK(fake.calls() == 4);
}

TEST_CASE("fake runner: concurrent calls are all recorded", "[fake]") {
  FakeProcessRunner fake;
  CancelToken cancel;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) fake.run(spec_of("p"), nullptr, cancel);
    });
  for (auto& t : threads) t.join();
  CHECK(fake.calls() == 400);
}
