// The manifest-bump transaction (steps/git/bump_transaction.hpp) against a real git smart-HTTP server with basic
// auth: one commit lands with the given author and message, only the target branch is fetched, a cache makes the
// next fetch small, a concurrent pusher makes the edit run again (or stop as superseded), 16 parallel bumps all
// land, and credentials never show up in errors, logs or the cache.
#include <signal.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runner/process/subprocess.hpp"
#include "steps/git/bump_transaction.hpp"
#include "steps/git/libgit2.hpp"
#include "tests/support/command.hpp"
#include "tests/support/fake_process_runner.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/log_lines.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using hoist::BumpEnv;
using hoist::BumpRequest;
using hoist::BumpResult;
using hoist::FileSnapshot;
using hoist::test::GitServer;
using hoist::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kFile = "api/qa.values.yaml";

BumpRequest request_for(const GitServer& server, const std::string& repo, const std::string& branch = "qa") {
  BumpRequest r;
  r.repo = server.url(repo);
  r.branch = branch;
  r.files = {kFile};
  r.creds.username = server.username();
  r.creds.password = server.password();
  r.author = {"Hoist Bot", "bot@hoist.example", 1700000000, 60};
  r.committer = {"CI Runner", "ci@hoist.example", 1700000100, 0};
  r.message = "api: old -> new\n";
  return r;
}

using LogSink = hoist::test::LogLines;  // thread-safe: the 16-thread test shares one

BumpEnv quiet(LogSink& sink) {
  BumpEnv env;
  env.log = sink.fn();
  env.backoff_base_ms = 50;
  return env;
}

// Replaces FROM by TO in PATH; throws when the file is missing or FROM is not in it.
hoist::EditFn replace(const std::string& path, const std::string& from, const std::string& to) {
  return [=](const FileSnapshot& s) {
    const auto& content = s.files.at(path);
    if (!content) throw hoist::Error(path + " not found at " + s.commit);
    std::string text = *content;
    size_t at = text.find(from);
    if (at == std::string::npos) return std::map<std::string, std::string>{{path, text}};  // already done
    text.replace(at, from.size(), to);
    return std::map<std::string, std::string>{{path, text}};
  };
}

std::string git_out(const GitServer& server, const std::string& repo, std::vector<std::string> args) {
  args.insert(args.begin(), "--git-dir=" + server.repo_path(repo).string());
  auto result = hoist::test::run_command(hoist::test::git_command(std::move(args)));
  REQUIRE(result.ok());
  while (!result.out.empty() && result.out.back() == '\n') result.out.pop_back();
  return result.out;
}

bool has_object(const std::string& repo_path, const std::string& hex) {
  auto repo = hoist::git_make<git_repository>("open", git_repository_open_bare, repo_path.c_str());
  auto odb = hoist::git_make<git_odb>("odb", git_repository_odb, repo.get());
  git_oid oid;
  git_oid_fromstr(&oid, hex.c_str());
  return git_odb_exists(odb.get(), &oid) == 1;
}

// Every byte of every file under DIR, for "is the secret anywhere in here".
std::string all_bytes(const std::filesystem::path& dir) {
  std::string s;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) s += hoist::test::read_file(e.path().string());
  }
  return s;
}

hoist::test::RepoSeed qa_seed() {
  return {{"qa", {{kFile, "image:\n  repository: shop/api\n  tag: old\n"}, {"web/qa.values.yaml", "image:\n  tag: w1\n"}}},
          {"master", {{"hoist.yaml", "environments: {}\n"}, {"big.txt", std::string(4096, 'x')}}}};
}

// Makes SCRIPT the pre-receive hook of the server's repository NAME.
void install_pre_receive(const GitServer& server, const std::string& name, const std::string& script) {
  const auto hook = server.repo_path(name) / "hooks" / "pre-receive";
  std::filesystem::create_directories(hook.parent_path());
  std::ofstream(hook) << script;
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                         std::filesystem::perms::others_exec);
}

}  // namespace

TEST_CASE("a bump lands as one commit with the given author, committer and message", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  LogSink log;
  BumpResult r = hoist::run_bump(request_for(server, "m"), replace(kFile, "tag: old", "tag: new"), quiet(log));

  CHECK(r.changed);
  CHECK(r.attempts == 1);
  CHECK(r.old_tip == before);
  CHECK(server.head("m", "qa") == r.commit);
  CHECK(server.read_file("m", "qa", kFile) == "image:\n  repository: shop/api\n  tag: new\n");
  CHECK(server.read_file("m", "qa", "web/qa.values.yaml") == "image:\n  tag: w1\n");
  CHECK(git_out(server, "m", {"log", "-1", "--format=%an <%ae> %at|%cn <%ce> %ct|%P|%B", "qa"}) ==
        "Hoist Bot <bot@hoist.example> 1700000000|CI Runner <ci@hoist.example> 1700000100|" + before +
            "|api: old -> new");
  CHECK(git_out(server, "m", {"rev-list", "--count", "qa"}) == "2");
  CHECK(r.diffs.at(kFile).find("-  tag: old\n+  tag: new\n") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(r.mirror_path));  // the temporary repository is gone
  CHECK(log.all().find(server.password()) == std::string::npos);
}

TEST_CASE("only the target branch is fetched, and a cache makes the next run fetch only new objects", "[git]") {
  GitServer server;
  hoist::test::RepoSeed seed = qa_seed();
  for (int i = 0; i < 40; ++i) seed["qa"]["svc-" + std::to_string(i) + "/values.yaml"] = "n: " + std::to_string(i) + "\n";
  server.create_repo("m", seed);
  TempDir cache("hoist-git-cache");
  LogSink log;
  BumpRequest req = request_for(server, "m");
  req.cache_dir = cache.path().string();

  BumpResult first = hoist::run_bump(req, replace(kFile, "tag: old", "tag: one"), quiet(log));
  REQUIRE(first.fetches.size() == 1);
  CHECK(first.fetches[0].received_objects >= 40);
  REQUIRE(std::filesystem::exists(first.mirror_path));
  CHECK(has_object(first.mirror_path, first.commit));
  CHECK_FALSE(has_object(first.mirror_path, *server.head("m", "master")));  // the other branch never came over

  // Someone else changes one file; the next run brings over just that commit, its trees and the blob.
  server.commit("m", "qa", {{"svc-3/values.yaml", "n: three\n"}});
  BumpResult second = hoist::run_bump(req, replace(kFile, "tag: one", "tag: two"), quiet(log));
  CHECK(second.mirror_path == first.mirror_path);
  REQUIRE(second.fetches.size() == 1);
  CHECK(second.fetches[0].received_objects > 0);
  CHECK(second.fetches[0].received_objects <= 4);
  CHECK(server.read_file("m", "qa", kFile)->find("tag: two") != std::string::npos);
  CHECK(server.read_file("m", "qa", "svc-3/values.yaml") == "n: three\n");

  // Nothing new on the server: nothing comes over, and nothing to change means no commit.
  BumpResult third = hoist::run_bump(req, replace(kFile, "tag: one", "tag: two"), quiet(log));
  CHECK_FALSE(third.changed);
  CHECK(third.fetches.at(0).received_objects == 0);
  CHECK(third.commit == *server.head("m", "qa"));

  // No credentials anywhere in the cache (config, refs, logs), and no remote configured in it.
  CHECK(all_bytes(cache.path()).find(server.password()) == std::string::npos);
  auto repo = hoist::git_make<git_repository>("open", git_repository_open_bare, first.mirror_path.c_str());
  hoist::GitStrArray remotes;
  REQUIRE(git_remote_list(remotes.get(), repo.get()) == 0);
  CHECK(remotes.size() == 0);
  CHECK(log.all().find(server.password()) == std::string::npos);
}

TEST_CASE("with a cached mirror the bump pushes first, and fetches only when the push is refused", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  TempDir cache("hoist-git-cache");
  LogSink log;
  BumpRequest req = request_for(server, "m");
  req.cache_dir = cache.path().string();
  BumpResult first = hoist::run_bump(req, replace(kFile, "tag: old", "tag: one"), quiet(log));
  CHECK(first.fetches.size() == 1);  // nothing cached yet

  // The cache's tip is the server's: one push, no fetch.
  BumpResult warm = hoist::run_bump(req, replace(kFile, "tag: one", "tag: two"), quiet(log));
  CHECK(warm.fetches.empty());
  CHECK(warm.attempts == 1);
  CHECK(warm.first_tip == first.commit);
  CHECK(server.head("m", "qa") == warm.commit);
  CHECK(git_out(server, "m", {"log", "-1", "--format=%P", "qa"}) == first.commit);

  // Someone pushed since: the push is refused, the bump fetches at once (no wait) and lands on their commit, and
  // the stale cache does not count as what the bump started from (no false "superseded").
  const std::string theirs = server.commit("m", "qa", {{kFile, "image:\n  repository: shop/api\n  tag: three\n"}},
                                           "api: three");
  std::vector<int> rounds;
  auto edit = [](const FileSnapshot& s) {  // sets the tag whatever it was
    std::string text = *s.files.at(kFile);
    text.replace(text.find("tag: "), std::string::npos, "tag: four\n");
    return std::map<std::string, std::string>{{kFile, text}};
  };
  BumpResult stale = hoist::run_bump(
      req,
      [&](const FileSnapshot& s) {
        rounds.push_back(s.attempt);
        return edit(s);
      },
      quiet(log));
  CHECK(stale.fetches.size() == 1);
  CHECK(stale.attempts == 2);
  CHECK(rounds == std::vector<int>{1, 1});
  CHECK(stale.first_tip == theirs);
  CHECK(git_out(server, "m", {"log", "-1", "--format=%P", "qa"}) == theirs);
  CHECK(server.read_file("m", "qa", kFile) == "image:\n  repository: shop/api\n  tag: four\n");
  CHECK(log.all().find("push refused") == std::string::npos);  // the refusal of a stale cache is not a race
}

namespace {

// A bump timeout that leaves room for at least two rounds against a branch that moves before every push, at the
// machine's present speed: one round as that test runs it (a bump of web/qa.values.yaml in REPO, then another
// pusher's commit) is timed, and the timeout is 12 of those, at least 1.5 s, in whole tenths of a second. Two rounds
// take the first fetch, a round, the wait after its refusal (at most 3 rounds' time) and the second round's fetch.
std::chrono::milliseconds room_for_two_rounds(GitServer& server, const std::string& repo) {
  LogSink log;
  BumpRequest req = request_for(server, repo);
  req.files = {"web/qa.values.yaml"};
  const auto start = std::chrono::steady_clock::now();
  hoist::run_bump(req, replace("web/qa.values.yaml", "tag: w1", "tag: w0"), quiet(log));
  server.commit(repo, "qa", {{"web/qa.values.yaml", "image:\n  tag: w1\n"}}, "web");
  const auto round = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  const long long tenths = (std::max<long long>(1500, 12 * round.count()) + 99) / 100;
  return std::chrono::milliseconds(tenths * 100);
}

}  // namespace

TEST_CASE("a branch that keeps moving fails at the timeout, naming it, and pushes nothing of ours", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  LogSink log;
  BumpEnv env = quiet(log);
  int n = 0;
  std::string last;
  env.before_push = [&](int, const std::string&) {
    last = server.commit("m", "qa", {{"web/qa.values.yaml", "image:\n  tag: w" + std::to_string(++n) + "\n"}}, "web");
  };
  BumpRequest req = request_for(server, "m");
  req.timeout = room_for_two_rounds(server, "m");
  char timeout_text[32];
  std::snprintf(timeout_text, sizeof timeout_text, "%.1f s", static_cast<double>(req.timeout.count()) / 1000.0);
  std::string error;
  try {
    hoist::run_bump(req, replace(kFile, "tag: old", "tag: new"), env);
  } catch (const hoist::Error& e) {
    error = e.what();
  }
  INFO(log.all());
  CHECK_THAT(error, Catch::StartsWith("branch 'qa' of " + server.url("m") + " kept moving: gave up after "));
  CHECK_THAT(error, Catch::Contains(" attempts in " + std::string(timeout_text) + " (the timeout; last refusal: "));
  CHECK(n >= 2);
  CHECK(server.head("m", "qa") == last);
  CHECK(server.read_file("m", "qa", kFile)->find("tag: old") != std::string::npos);
}

TEST_CASE("a corrupt or foreign cache is discarded with a warning and rebuilt", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  TempDir cache("hoist-git-cache");
  BumpRequest req = request_for(server, "m");
  LogSink log;
  BumpEnv env = quiet(log);
  env.env["HOIST_CACHE"] = cache.path().string();  // the cache from the environment this time
  BumpResult first = hoist::run_bump(req, replace(kFile, "tag: old", "tag: one"), env);
  REQUIRE(first.mirror_path.rfind(cache.path().string(), 0) == 0);
  REQUIRE(std::filesystem::exists(first.mirror_path));

  std::string why;
  SECTION("objects gone") {
    std::filesystem::remove_all(first.mirror_path + "/objects");
    why = "cannot open it";
  }
  SECTION("a mirror of another repository") {
    std::ofstream(first.mirror_path + "/hoist-url") << server.url("other");
    why = "it was made for another repository";
  }
  BumpResult second = hoist::run_bump(req, replace(kFile, "tag: one", "tag: two"), env);
  CHECK(second.changed);
  CHECK(second.mirror_path == first.mirror_path);
  CHECK(second.fetches.at(0).received_objects > 0);  // fetched everything again
  CHECK(log.all().find("warning: discarding the git cache " + first.mirror_path + " (" + why) != std::string::npos);
  CHECK(server.read_file("m", "qa", kFile)->find("tag: two") != std::string::npos);
}

TEST_CASE("when someone else pushes first, the edit is applied again on the new tip", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  std::string theirs;
  LogSink log;
  BumpEnv env = quiet(log);
  env.before_push = [&](int attempt, const std::string&) {
    if (attempt == 1) theirs = server.commit("m", "qa", {{"web/qa.values.yaml", "image:\n  tag: w2\n"}}, "web: w2");
  };
  std::vector<int> edit_attempts;
  auto edit = replace(kFile, "tag: old", "tag: new");
  BumpResult r = hoist::run_bump(
      request_for(server, "m"),
      [&](const FileSnapshot& s) {
        edit_attempts.push_back(s.attempt);
        return edit(s);
      },
      env);

  CHECK(r.attempts == 2);
  CHECK(edit_attempts == std::vector<int>{1, 2});
  CHECK(r.old_tip == theirs);
  CHECK(r.first_tip != theirs);
  CHECK(server.head("m", "qa") == r.commit);
  CHECK(server.read_file("m", "qa", kFile)->find("tag: new") != std::string::npos);
  CHECK(server.read_file("m", "qa", "web/qa.values.yaml") == "image:\n  tag: w2\n");
  // Their commit is our parent: nothing was forced over it.
  CHECK(git_out(server, "m", {"log", "-1", "--format=%P", "qa"}) == theirs);
  CHECK(git_out(server, "m", {"rev-list", "--count", "qa"}) == "3");
  // libgit2 refuses this one itself, before sending anything: it saw the new tip at connect and has not got it.
  CHECK(log.all().find("push refused (cannot push because a reference that you are trying to update on the remote "
                       "contains commits that are not present locally") != std::string::npos);
}

TEST_CASE("an edit that finds its value changed by the other pusher stops as superseded", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  std::string theirs;
  LogSink log;
  BumpEnv env = quiet(log);
  env.before_push = [&](int attempt, const std::string&) {
    if (attempt == 1)
      theirs = server.commit("m", "qa", {{kFile, "image:\n  repository: shop/api\n  tag: newer\n"}}, "api: newer");
  };
  auto edit = [](const FileSnapshot& s) {
    if (s.files.at(kFile) != s.first.at(kFile)) throw hoist::Error("superseded by " + s.commit);
    return std::map<std::string, std::string>{{kFile, "image:\n  repository: shop/api\n  tag: older\n"}};
  };
  REQUIRE_THROWS_WITH(hoist::run_bump(request_for(server, "m"), edit, env), "superseded by " + theirs);
  CHECK(server.head("m", "qa") == theirs);
  CHECK(server.read_file("m", "qa", kFile)->find("tag: newer") != std::string::npos);
}

TEST_CASE("16 bumps of 16 files on one branch at once all land, in a linear history", "[git]") {
  GitServer server;
  hoist::test::RepoSeed seed;
  for (int i = 0; i < 16; ++i) seed["qa"]["svc-" + std::to_string(i) + "/qa.values.yaml"] = "image:\n  tag: v0\n";
  server.create_repo("m", seed);
  const std::string before = *server.head("m", "qa");
  LogSink log;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  std::vector<int> attempts(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      std::string file = "svc-" + std::to_string(i) + "/qa.values.yaml";
      BumpRequest req = request_for(server, "m");
      req.files = {file};
      req.message = "svc-" + std::to_string(i) + ": v1";
      req.timeout = std::chrono::minutes(5);  // 16 writers on one ref: the last one may see up to 15 refusals
      try {
        BumpResult r = hoist::run_bump(req, replace(file, "tag: v0", "tag: v1-" + std::to_string(i)), quiet(log));
        attempts[i] = r.attempts;
        ++ok;
      } catch (const std::exception& e) {
        std::lock_guard lock(errors_mutex);
        errors.push_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  INFO(log.all());
  CHECK(errors.empty());
  CHECK(ok == 16);
  for (int i = 0; i < 16; ++i) {
    CHECK(server.read_file("m", "qa", "svc-" + std::to_string(i) + "/qa.values.yaml") ==
          "image:\n  tag: v1-" + std::to_string(i) + "\n");
  }
  CHECK(git_out(server, "m", {"rev-list", "--count", before + "..qa"}) == "16");
  CHECK(git_out(server, "m", {"rev-list", "--count", "--min-parents=2", "qa"}) == "0");
  CHECK(git_out(server, "m", {"rev-list", "--count", "--first-parent", "qa"}) == "17");
  int most = *std::max_element(attempts.begin(), attempts.end());
  CHECK(most >= 1);
  WARN("most attempts by one of 16 concurrent bumps: " << most);
}

TEST_CASE("a wrong password fails clearly, without the password, and changes nothing", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  BumpRequest req = request_for(server, "m");
  req.creds.password = "wrong-password-6f1c";
  LogSink log;
  try {
    hoist::run_bump(req, replace(kFile, "tag: old", "tag: new"), quiet(log));
    FAIL("the bump succeeded with a wrong password");
  } catch (const hoist::Error& e) {
    std::string message = e.what();
    CHECK(message == "authentication failed for " + server.url("m"));
    CHECK(message.find("wrong-password-6f1c") == std::string::npos);
  }
  CHECK(log.all().find("wrong-password-6f1c") == std::string::npos);
  CHECK(server.head("m", "qa") == before);
}

TEST_CASE("credentials come from HOIST_GIT_USERNAME/PASSWORD, git credential helpers or the URL", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  LogSink log;

  SECTION("the environment") {
    BumpRequest req = request_for(server, "m");
    req.creds = {};
    BumpEnv env = quiet(log);
    env.env = {{"HOIST_GIT_USERNAME", server.username()}, {"HOIST_GIT_PASSWORD", server.password()}};
    CHECK(hoist::run_bump(req, replace(kFile, "tag: old", "tag: env"), env).changed);
    CHECK(server.read_file("m", "qa", kFile)->find("tag: env") != std::string::npos);
  }
  SECTION("git credential fill") {
    BumpRequest req = request_for(server, "m");
    req.creds = {};
    hoist::PosixProcessRunner runner;
    BumpEnv env = quiet(log);
    env.env = server.credential_env();
    env.env["PATH"] = hoist::current_environment()["PATH"];
    env.env["HOME"] = "/nonexistent";
    env.env["GIT_CONFIG_NOSYSTEM"] = "1";
    env.processes = &runner;
    CHECK(hoist::run_bump(req, replace(kFile, "tag: old", "tag: helper"), env).changed);
    CHECK(server.read_file("m", "qa", kFile)->find("tag: helper") != std::string::npos);
  }
  // What run_bump says when asking `git credential fill` throws `failure`.
  auto bump_when_git_throws = [&](std::exception_ptr failure) {
    BumpRequest req = request_for(server, "m");
    req.creds = {};
    hoist::test::FakeProcessRunner runner;
    runner.set_handler([failure](const hoist::ProcessSpec&, const hoist::LineSink&,
                                 const hoist::CancelToken&) -> hoist::ProcessResult { std::rethrow_exception(failure); });
    BumpEnv env = quiet(log);
    env.processes = &runner;
    std::string message;
    try {
      hoist::run_bump(req, replace(kFile, "tag: old", "tag: x"), env);
    } catch (const hoist::Error& e) {
      message = e.what();
    }
    CHECK(runner.calls() >= 1);
    return message;
  };
  SECTION("git cannot be run: no helpers to ask, the same clear error") {
    CHECK_THAT(bump_when_git_throws(std::make_exception_ptr(hoist::LaunchError("cannot run 'git': command not found"))),
               Catch::Contains("no credentials for " + server.url("m")));
  }
  SECTION("asking git fails otherwise: that failure, not \"no credentials\"") {
    const std::string message =
        bump_when_git_throws(std::make_exception_ptr(hoist::Error("cannot create a pipe: Too many open files")));
    CHECK_THAT(message, Catch::Contains("cannot create a pipe: Too many open files"));
    CHECK_THAT(message, !Catch::Contains("no credentials"));
  }
  SECTION("none at all: a clear error") {
    BumpRequest req = request_for(server, "m");
    req.creds = {};
    CHECK_THROWS_WITH(hoist::run_bump(req, replace(kFile, "tag: old", "tag: x"), quiet(log)),
                      Catch::Contains("no credentials for " + server.url("m")));
  }
  SECTION("in the URL: taken out of it, used, and warned about") {
    BumpRequest req = request_for(server, "m");
    req.creds = {};
    req.repo = "http://" + server.username() + ":" + server.password() + "@" + server.host() + "/m.git";
    CHECK(hoist::run_bump(req, replace(kFile, "tag: old", "tag: url"), quiet(log)).changed);
    CHECK(server.read_file("m", "qa", kFile)->find("tag: url") != std::string::npos);
    CHECK(log.all().find("warning: credentials in the repository URL") != std::string::npos);
  }
  CHECK(log.all().find(server.password()) == std::string::npos);
}

TEST_CASE("a missing branch is a clear error", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  LogSink log;
  BumpRequest req = request_for(server, "m", "staging");
  CHECK_THROWS_WITH(hoist::run_bump(req, replace(kFile, "a", "b"), quiet(log)),
                    "branch 'staging' not found in " + server.url("m"));
}

TEST_CASE("a missing file reaches the edit as absent, and its error stops the bump", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  LogSink log;
  BumpRequest req = request_for(server, "m");
  req.files = {"nope/qa.values.yaml"};
  CHECK_THROWS_WITH(hoist::run_bump(req, replace("nope/qa.values.yaml", "a", "b"), quiet(log)),
                    "nope/qa.values.yaml not found at " + before);
  CHECK(server.head("m", "qa") == before);
}

TEST_CASE("plan mode pushes nothing and returns the diff", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  LogSink log;
  BumpRequest req = request_for(server, "m");
  req.plan = true;
  BumpResult r = hoist::run_bump(req, replace(kFile, "tag: old", "tag: new"), quiet(log));
  CHECK(r.changed);
  CHECK(r.commit.empty());
  CHECK(server.head("m", "qa") == before);
  const std::string& diff = r.diffs.at(kFile);
  CHECK(diff.find("--- a/" + kFile + "\n+++ b/" + kFile + "\n") != std::string::npos);
  CHECK(diff.find("@@ -1,3 +1,3 @@\n image:\n   repository: shop/api\n-  tag: old\n+  tag: new\n") != std::string::npos);
}

TEST_CASE("nothing to change makes no commit", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  LogSink log;
  BumpResult r = hoist::run_bump(request_for(server, "m"), replace(kFile, "tag: gone", "tag: new"), quiet(log));
  CHECK_FALSE(r.changed);
  CHECK(r.commit == before);
  CHECK(server.head("m", "qa") == before);
}

TEST_CASE("a local path and a file:// URL work as repositories", "[git]") {
  GitServer server;  // only for its bare repositories on disk
  server.create_repo("m", qa_seed());
  LogSink log;
  BumpRequest req = request_for(server, "m");
  req.creds = {};
  SECTION("path") { req.repo = server.repo_path("m").string(); }
  SECTION("file URL") { req.repo = "file://" + server.repo_path("m").string(); }
  BumpResult r = hoist::run_bump(req, replace(kFile, "tag: old", "tag: local"), quiet(log));
  CHECK(server.head("m", "qa") == r.commit);
  CHECK(server.read_file("m", "qa", kFile)->find("tag: local") != std::string::npos);
}

TEST_CASE("a refusal reported by the server (the ref moved after libgit2 looked) is retried too", "[git]") {
  // The branch moves inside the server while it receives our push, after libgit2 has read the tip it checks
  // fast-forward against: a pre-receive hook moves it once. The server's compare-and-swap of the ref then fails
  // and the refusal arrives only through push_update_reference's status, not as an error of git_remote_push.
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string base = *server.head("m", "qa");
  const std::string theirs = server.commit("m", "qa", {{"web/qa.values.yaml", "image:\n  tag: w9\n"}}, "web: w9");
  git_out(server, "m", {"update-ref", "refs/heads/parked", theirs});
  git_out(server, "m", {"update-ref", "refs/heads/qa", base});
  const auto repo = server.repo_path("m");
  const auto hook = repo / "hooks" / "pre-receive";
  std::filesystem::create_directories(hook.parent_path());
  {
    std::ofstream out(hook);
    out << "#!/bin/sh\n"
           "cat >/dev/null\n"
           "[ -e \"$GIT_DIR/moved-once\" ] && exit 0\n"
           "touch \"$GIT_DIR/moved-once\"\n"
           "env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES "
           "git update-ref refs/heads/qa refs/heads/parked\n";
  }
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                         std::filesystem::perms::others_exec);
  LogSink log;
  BumpResult r = hoist::run_bump(request_for(server, "m"), replace(kFile, "tag: old", "tag: new"), quiet(log));
  INFO(log.all());
  REQUIRE(std::filesystem::exists(repo / "moved-once"));
  CHECK(r.attempts == 2);
  CHECK(r.first_tip == base);
  CHECK(r.old_tip == theirs);
  CHECK(server.head("m", "qa") == r.commit);
  CHECK(git_out(server, "m", {"log", "-1", "--format=%P", "qa"}) == theirs);
  CHECK(server.read_file("m", "qa", "web/qa.values.yaml") == "image:\n  tag: w9\n");
  CHECK(server.read_file("m", "qa", kFile)->find("tag: new") != std::string::npos);
  CHECK(log.all().find("push refused (failed to update ref)") != std::string::npos);
}

TEST_CASE("a cancelled bump stops before pushing", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  hoist::CancelToken cancel;
  LogSink log;
  BumpEnv env = quiet(log);
  env.cancel = &cancel;
  env.before_push = [&](int, const std::string&) { cancel.cancel(); };  // Ctrl-C between commit and push
  try {
    hoist::run_bump(request_for(server, "m"), replace(kFile, "tag: old", "tag: new"), env);
    FAIL("the bump ignored the cancel");
  } catch (const hoist::Error& e) {
    CHECK(std::string(e.what()) == "cancelled");
    CHECK(e.code() == hoist::ExitCode::interrupted);
  }
  CHECK(server.head("m", "qa") == before);
}

TEST_CASE("two bumps setting the same value at once: one lands, the other is superseded", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  std::barrier both_committed(2);  // both have read the same tip and made their commit before either pushes
  std::mutex mutex;
  std::vector<std::string> landed, errors;
  auto bump = [&](const std::string& tag) {
    LogSink log;
    BumpEnv env = quiet(log);
    env.before_push = [&](int attempt, const std::string&) {
      if (attempt == 1) both_committed.arrive_and_wait();
    };
    auto edit = [&](const FileSnapshot& s) {
      if (s.files.at(kFile) != s.first.at(kFile)) throw hoist::Error("superseded by " + s.commit);
      return std::map<std::string, std::string>{{kFile, "image:\n  repository: shop/api\n  tag: " + tag + "\n"}};
    };
    try {
      BumpResult r = hoist::run_bump(request_for(server, "m"), edit, env);
      std::lock_guard lock(mutex);
      landed.push_back(tag);
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex);
      errors.push_back(e.what());
    }
  };
  std::thread a(bump, "a1");
  std::thread b(bump, "b1");
  a.join();
  b.join();
  REQUIRE(landed.size() == 1);
  REQUIRE(errors.size() == 1);
  const std::string tip = *server.head("m", "qa");
  CHECK(errors[0] == "superseded by " + tip);
  CHECK(server.read_file("m", "qa", kFile) == "image:\n  repository: shop/api\n  tag: " + landed[0] + "\n");
  CHECK(git_out(server, "m", {"rev-list", "--count", "qa"}) == "2");
}

TEST_CASE("a push refused for another reason than a moved branch fails at once", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  install_pre_receive(server, "m", "#!/bin/sh\necho 'qa is frozen' >&2\nexit 1\n");
  LogSink log;
  int edits = 0;
  auto edit = replace(kFile, "tag: old", "tag: new");
  CHECK_THROWS_WITH(hoist::run_bump(request_for(server, "m"),
                                    [&](const FileSnapshot& s) {
                                      ++edits;
                                      return edit(s);
                                    },
                                    quiet(log)),
                    "push to branch 'qa' of " + server.url("m") + " rejected: pre-receive hook declined");
  CHECK(edits == 1);
  CHECK(server.head("m", "qa") == before);
  CHECK(log.all().find("remote: qa is frozen") != std::string::npos);  // the server's reason reaches the log
}

TEST_CASE("the server's messages reach the log as whole lines, however the server cut them", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  // git receive-pack relays hook output in pieces of 128 bytes: this line arrives in three, the last one without a
  // line end.
  const std::string reason = "qa is frozen until the release train leaves; ask #release" + std::string(200, '.');
  install_pre_receive(server, "m", "#!/bin/sh\necho '" + reason + "' >&2\nprintf 'no line end' >&2\nexit 1\n");
  LogSink log;
  CHECK_THROWS(hoist::run_bump(request_for(server, "m"), replace(kFile, "tag: old", "tag: new"), quiet(log)));
  std::vector<std::string> remote;
  for (const auto& line : log.lines)
    if (line.rfind("remote: ", 0) == 0) remote.push_back(line);
  CHECK(remote == std::vector<std::string>{"remote: " + reason, "remote: no line end"});
}

TEST_CASE("bumps sharing one cache directory take turns and all land", "[git]") {
  GitServer server;
  hoist::test::RepoSeed seed;
  for (int i = 0; i < 4; ++i) seed["qa"]["svc-" + std::to_string(i) + "/qa.values.yaml"] = "tag: v0\n";
  server.create_repo("m", seed);
  TempDir cache("hoist-git-cache");
  LogSink log;
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      std::string file = "svc-" + std::to_string(i) + "/qa.values.yaml";
      BumpRequest req = request_for(server, "m");
      req.files = {file};
      req.cache_dir = cache.path().string();
      try {
        hoist::run_bump(req, replace(file, "v0", "v1"), quiet(log));
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors.push_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors.empty());
  for (int i = 0; i < 4; ++i)
    CHECK(server.read_file("m", "qa", "svc-" + std::to_string(i) + "/qa.values.yaml") == "tag: v1\n");
  CHECK(git_out(server, "m", {"rev-list", "--count", "qa"}) == "5");
}

TEST_CASE("an edit may only change the files it was asked about", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  LogSink log;
  auto edit = [](const FileSnapshot&) { return std::map<std::string, std::string>{{"web/qa.values.yaml", "x\n"}}; };
  CHECK_THROWS_WITH(hoist::run_bump(request_for(server, "m"), edit, quiet(log)),
                    "the edit returned 'web/qa.values.yaml', which is not one of the bump's files");
  CHECK(server.head("m", "qa") == before);
}

TEST_CASE("the git server going away between fetch and push: a clear error, and the cache still works after", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  const std::string before = *server.head("m", "qa");
  TempDir cache("hoist-git-cache");
  LogSink log;
  BumpRequest req = request_for(server, "m");
  req.cache_dir = cache.path().string();
  BumpEnv env = quiet(log);
  const int lighttpd = server.pids().front();
  env.before_push = [&](int, const std::string&) {
    ::kill(lighttpd, SIGKILL);
    for (int i = 0; i < 200 && hoist::test::process_alive(lighttpd); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  try {
    hoist::run_bump(req, replace(kFile, "tag: old", "tag: one"), env);
    FAIL("the push went through a dead server");
  } catch (const hoist::Error& e) {
    std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(server.url("m")));
    CHECK(message.find(server.password()) == std::string::npos);
  }
  CHECK(*server.head("m", "qa") == before);

  // The same server comes back on the same port (same config, repositories and credentials).
  const fs::path dir = server.dir();
  hoist::test::Command restart;
  restart.argv = {"bash", "-c",
                  "lighttpd -D -f " + (dir / "git-lighttpd.conf").string() + " </dev/null >>" +
                      (dir / "git.log").string() + " 2>&1 & echo $! > " + (dir / "git.pid").string()};
  REQUIRE(hoist::test::run_command(restart).ok());
  bool up = false;
  for (int i = 0; i < 300 && !up; ++i) {
    hoist::test::Command probe;
    probe.argv = {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--noproxy", "*", server.base_url() + "/"};
    up = hoist::test::run_command(probe).out == "401";
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(up);

  env.before_push = nullptr;
  BumpResult r = hoist::run_bump(req, replace(kFile, "tag: old", "tag: two"), env);
  CHECK(r.changed);
  CHECK(r.attempts == 1);
  CHECK(*server.head("m", "qa") == r.commit);
  CHECK_THAT(*server.read_file("m", "qa", kFile), Catch::Contains("tag: two"));
}

TEST_CASE("git credential helpers are told whether their credentials worked: approve, reject", "[git]") {
  GitServer server;
  server.create_repo("m", qa_seed());
  hoist::test::TempDir dir;
  LogSink log;
  hoist::PosixProcessRunner runner;
  BumpRequest req = request_for(server, "m");
  req.creds = {};
  BumpEnv env = quiet(log);
  env.env = server.credential_env();
  // The helper also writes down each action git asks of it.
  env.env["GIT_CONFIG_VALUE_0"] = "!f() { echo \"$1\" >> \"$HOIST_TEST_HELPER_LOG\"; test \"$1\" = get && printf "
                                  "'username=%s\\npassword=%s\\n' \"$HOIST_TEST_GIT_USERNAME\" "
                                  "\"$HOIST_TEST_GIT_PASSWORD\"; }; f";
  env.env["HOIST_TEST_HELPER_LOG"] = dir.file("helper.log");
  env.env["PATH"] = hoist::current_environment()["PATH"];
  env.env["HOME"] = "/nonexistent";
  env.env["GIT_CONFIG_NOSYSTEM"] = "1";
  env.processes = &runner;
  auto actions = [&] {
    std::ifstream in(dir.file("helper.log"));
    std::string all, line;
    while (std::getline(in, line)) all += line + " ";
    return all;
  };

  SECTION("a push that worked: approve (the helper's store)") {
    CHECK(hoist::run_bump(req, replace(kFile, "tag: old", "tag: approved"), env).changed);
    CHECK(actions() == "get store ");
  }
  SECTION("credentials the server refused: reject (the helper's erase)") {
    env.env["HOIST_TEST_GIT_PASSWORD"] = "stale-password-51d0";
    CHECK_THROWS_WITH(hoist::run_bump(req, replace(kFile, "tag: old", "tag: x"), env),
                      Catch::Contains("authentication failed"));
    CHECK(actions() == "get erase ");
  }
}
