// The small pure pieces of the git side of bumps: trailers, diffs, URL credential stripping, race classification,
// repository paths, cache names. No server needed.
#include <catch2/catch.hpp>

#include <string>

#include "steps/git/bare_mirror.hpp"
#include "steps/git/commit_files.hpp"
#include "steps/git/credentials.hpp"
#include "steps/git/libgit2.hpp"
#include "steps/git/push.hpp"
#include "steps/git/trailers.hpp"
#include "steps/git/unified_diff.hpp"

TEST_CASE("trailers are appended in git's format and parse back", "[git]") {
  std::string m = hoist::append_trailers("api: abc1234\n\nBuilt by the pipeline.\n",
                                         {{"Hoist-Image-Digest", "sha256:0123"},
                                          {"Hoist-Source-Commit", "abc1234def"},
                                          {"Hoist-Pipeline", "https://ci.example/p/1"},
                                          {"Hoist-Empty", ""}});
  CHECK(m ==
        "api: abc1234\n\nBuilt by the pipeline.\n\nHoist-Image-Digest: sha256:0123\nHoist-Source-Commit: "
        "abc1234def\nHoist-Pipeline: https://ci.example/p/1\n");
  hoist::libgit2_init();
  git_message_trailer_array arr{};
  REQUIRE(git_message_trailers(&arr, m.c_str()) == 0);
  REQUIRE(arr.count == 3);
  CHECK(std::string(arr.trailers[0].key) == "Hoist-Image-Digest");
  CHECK(std::string(arr.trailers[0].value) == "sha256:0123");
  CHECK(std::string(arr.trailers[2].value) == "https://ci.example/p/1");
  git_message_trailer_array_free(&arr);

  // An existing trailer block is extended, not followed by a second one.
  CHECK(hoist::append_trailers("subject\n\nSigned-off-by: A <a@x>\n", {{"Hoist-Pipeline", "7"}}) ==
        "subject\n\nSigned-off-by: A <a@x>\nHoist-Pipeline: 7\n");
  // A subject that looks like a trailer is still the subject.
  CHECK(hoist::append_trailers("api: abc", {{"Hoist-Pipeline", "7"}}) == "api: abc\n\nHoist-Pipeline: 7\n");
  CHECK_THROWS_AS(hoist::append_trailers("x", {{"Bad Key", "v"}}), hoist::InputError);
  CHECK_THROWS_AS(hoist::append_trailers("x", {{"K", "two\nlines"}}), hoist::InputError);
}

TEST_CASE("a commit of several files speaks for each file with the common trailers and that file's group", "[git]") {
  const hoist::Trailers all = {{"Hoist-Actor", "dee"},          {"Hoist-Pipeline", "7"},
                               {"Hoist-File", "api/qa.yaml"},   {"Hoist-Image-Digest", "sha256:aaa"},
                               {"Hoist-File", "web/qa.yaml"},   {"Hoist-Image-Digest", "sha256:bbb"}};
  CHECK(hoist::trailers_for_file(all, "api/qa.yaml") ==
        hoist::Trailers{{"Hoist-Actor", "dee"}, {"Hoist-Pipeline", "7"}, {"Hoist-File", "api/qa.yaml"},
                        {"Hoist-Image-Digest", "sha256:aaa"}});
  CHECK(hoist::trailers_for_file(all, "web/qa.yaml") ==
        hoist::Trailers{{"Hoist-Actor", "dee"}, {"Hoist-Pipeline", "7"}, {"Hoist-File", "web/qa.yaml"},
                        {"Hoist-Image-Digest", "sha256:bbb"}});
  // A file without a group gets only the common trailers; a commit without groups speaks for all its files.
  CHECK(hoist::trailers_for_file(all, "db/qa.yaml") == hoist::Trailers{{"Hoist-Actor", "dee"}, {"Hoist-Pipeline", "7"}});
  const hoist::Trailers plain = {{"Hoist-Image-Digest", "sha256:ccc"}, {"Hoist-Actor", "dee"}};
  CHECK(hoist::trailers_for_file(plain, "api/qa.yaml") == plain);
}

TEST_CASE("trailers: a 1 MB message line is classified without overflowing the stack", "[git]") {
  const std::string big(1 << 20, 'v');
  // a 1 MB trailer line ends a trailer block: the new trailer joins it
  CHECK(hoist::append_trailers("subject\n\nSigned-off-by: " + big + "\n", {{"Hoist-Pipeline", "7"}}) ==
        "subject\n\nSigned-off-by: " + big + "\nHoist-Pipeline: 7\n");
  // a 1 MB key is still a key
  CHECK(hoist::append_trailers("subject\n\n" + std::string(1 << 20, 'K') + ": v", {{"Hoist-Pipeline", "7"}}) ==
        "subject\n\n" + std::string(1 << 20, 'K') + ": v\nHoist-Pipeline: 7\n");
  // a 1 MB line of prose is not a trailer: a new paragraph
  CHECK(hoist::append_trailers("subject\n\n" + big, {{"Hoist-Pipeline", "7"}}) ==
        "subject\n\n" + big + "\n\nHoist-Pipeline: 7\n");
  // a carriage return inside is not a trailer line either, as before
  CHECK(hoist::append_trailers("subject\n\nKey: a\rb", {{"Hoist-Pipeline", "7"}}) ==
        "subject\n\nKey: a\rb\n\nHoist-Pipeline: 7\n");
}

TEST_CASE("unified diffs are git style with three lines of context", "[git]") {
  std::string old_text = "a\nb\nc\nd\ne\nf\ng\nh\n";
  std::string new_text = "a\nb\nc\nd\nE\nf\ng\nh\n";
  std::string diff = hoist::unified_diff("x/v.yaml", old_text, new_text);
  CHECK(diff.rfind("diff --git a/x/v.yaml b/x/v.yaml\nindex ", 0) == 0);
  CHECK(diff.substr(diff.find("---")) ==
        "--- a/x/v.yaml\n+++ b/x/v.yaml\n@@ -2,7 +2,7 @@ a\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
  CHECK(hoist::unified_diff("x", old_text, old_text).empty());
  std::string created = hoist::unified_diff("new.yaml", std::nullopt, "k: v\n");
  CHECK(created.find("--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1 @@\n+k: v\n") != std::string::npos);
}

TEST_CASE("credentials in a repository URL are taken out of it", "[git]") {
  std::vector<std::string> warnings;
  auto warn = [&](std::string_view w) { warnings.emplace_back(w); };
  hoist::Credentials creds;
  auto spec = hoist::parse_remote("https://bot:s%40cret@git.example.com/org/m.git", creds, warn);
  CHECK(spec.url == "https://git.example.com/org/m.git");
  CHECK(spec.is_http);
  CHECK(creds.username == "bot");
  CHECK(creds.password == "s@cret");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("cret") == std::string::npos);

  hoist::Credentials explicit_creds{"me", "mine", {}, {}};
  spec = hoist::parse_remote("https://tok@git.example.com/m.git", explicit_creds, warn);
  CHECK(spec.url == "https://git.example.com/m.git");
  CHECK(explicit_creds.password == "mine");

  hoist::Credentials none;
  CHECK(hoist::parse_remote("git@github.com:org/m.git", none, warn).is_ssh);
  CHECK(hoist::parse_remote("ssh://git@host/m.git", none, warn).url == "ssh://git@host/m.git");
  CHECK_FALSE(hoist::parse_remote("/srv/git/m.git", none, warn).is_ssh);
  CHECK_FALSE(hoist::parse_remote("file:///srv/git/m.git", none, warn).is_http);
  CHECK(none.empty());
}

TEST_CASE("push refusals that mean the branch moved are recognised", "[git]") {
  CHECK(hoist::is_race_message("non-fast-forward"));
  CHECK(hoist::is_race_message("[rejected] (fetch first)"));
  CHECK(hoist::is_race_message("failed to update ref"));
  CHECK(hoist::is_race_message("cannot lock ref 'refs/heads/qa': is at 1 but expected 2"));
  CHECK(hoist::is_race_message("GitLab: incorrect old value provided"));
  CHECK(hoist::is_race_message("stale info"));
  CHECK(hoist::is_race_message("cannot push non-fastforwardable reference"));
  CHECK_FALSE(hoist::is_race_message("pre-receive hook declined"));
  CHECK_FALSE(hoist::is_race_message("protected branch"));
}

TEST_CASE("repository paths are normalised and escapes refused", "[git]") {
  CHECK(hoist::normalize_repo_path("./a/b.yaml") == "a/b.yaml");
  CHECK(hoist::normalize_repo_path("/a/b.yaml") == "a/b.yaml");
  for (const char* bad : {"", "a/../b", "..", "a//b", "a/", ".git/config"})
    CHECK_THROWS_AS(hoist::normalize_repo_path(bad), hoist::InputError);
}

TEST_CASE("cache mirrors are named after the repository, one per URL", "[git]") {
  std::string a = hoist::mirror_name("https://git.example.com/org/manifests.git");
  CHECK(a.rfind("manifests-", 0) == 0);
  CHECK(a.ends_with(".git"));
  CHECK(a != hoist::mirror_name("https://git.example.com/other/manifests.git"));
  CHECK(a == hoist::mirror_name("https://git.example.com/org/manifests.git"));
}
