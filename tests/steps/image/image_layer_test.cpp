// Layers: the plan (what goes in), the tar bytes (exactly what is written) and the digests (computed in one pass
// and reproducible across machines that differ in mtimes, atimes, owners and directory paths).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/image/layer_plan.hpp"
#include "steps/image/layer_writer.hpp"
#include "tests/support/command.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/tar_listing.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using namespace hoist::image;
using hoist::sha256_digest;
using hoist::test::TempDir;

namespace {

const std::string kLongName(120, 'n');

// build/app: bin/server (0755), etc/config.txt (0640), current -> bin/server, empty/, a 120-character name.
void make_app(const fs::path& build) {
  test::write_tree_file(build / "app/bin/server", "#!/bin/sh\necho hi\n", 0755);
  test::write_tree_file(build / "app/etc/config.txt", "port=8080\n", 0640);
  test::write_tree_file(build / "app/deep" / kLongName, "long\n", 0644);
  fs::create_directories(build / "app/empty");
  fs::create_symlink("bin/server", build / "app/current");
  test::write_tree_file(build / "VERSION", "1.2.3\n", 0600);
}

void scramble_times_and_owners(const fs::path& root, std::time_t when, uid_t uid) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    struct timespec ts[2] = {{when, 123}, {when + 77, 456}};
    ::utimensat(AT_FDCWD, e.path().c_str(), ts, AT_SYMLINK_NOFOLLOW);
    if (::geteuid() == 0) REQUIRE(::lchown(e.path().c_str(), uid, uid) == 0);
  }
}

std::vector<LayerEntry> app_entries() {
  return {LayerEntry{"app", "/srv/app", {}, {}, {}, {}}, LayerEntry{"VERSION", "/srv/", {}, {}, {}, {}}};
}

std::map<std::string, test::TarListing> by_name(const std::vector<test::TarListing>& list) {
  std::map<std::string, test::TarListing> m;
  for (const auto& t : list) m[t.name] = t;
  return m;
}

std::string shell_out(const std::string& script) {
  auto r = test::run_command(test::Command{{"sh", "-c", script}, {}, {}, "", ""});
  REQUIRE(r.ok());
  return r.out;
}

}  // namespace

TEST_CASE("layer: the same files give the same digests whatever their mtimes, atimes, owners and location",
          "[image]") {
  TempDir a("hoist-layer-a"), b("hoist-layer-b");
  make_app(a.path());
  make_app(b.path() / "elsewhere");
  scramble_times_and_owners(a.path(), 1000000000, 1234);
  scramble_times_and_owners(b.path(), 1600000000, 4321);
  LayerDigests da = write_layer(plan_layer(app_entries(), a.path()), {}, a / "layer.tar.gz");
  LayerDigests db = write_layer(plan_layer(app_entries(), b.path() / "elsewhere"), {}, b / "layer.tar.gz");
  CHECK(da.digest == db.digest);
  CHECK(da.diff_id == db.diff_id);
  CHECK(da.size == db.size);
  CHECK(test::read_file(a.file("layer.tar.gz")) == test::read_file(b.file("layer.tar.gz")));

  SECTION("and different contents, mtime or level give a different digest") {
    test::write_tree_file(b.path() / "elsewhere/app/etc/config.txt", "port=8081\n", 0640);
    auto changed = write_layer(plan_layer(app_entries(), b.path() / "elsewhere"), {}, b / "changed.tar.gz");
    CHECK(changed.digest != da.digest);
    auto later = write_layer(plan_layer(app_entries(), a.path()), {42, 1}, a / "later.tar.gz");
    CHECK(later.diff_id != da.diff_id);
    auto best = write_layer(plan_layer(app_entries(), a.path()), {0, 9}, a / "best.tar.gz");
    CHECK(best.diff_id == da.diff_id);
    CHECK(best.digest != da.digest);
  }
}

TEST_CASE("layer: the tar holds exactly the planned entries, sorted, with fixed owners and mtimes", "[image]") {
  TempDir t("hoist-layer");
  make_app(t.path());
  scramble_times_and_owners(t.path(), 1500000000, 1000);
  write_layer(plan_layer(app_entries(), t.path()), {1700000000, 1}, t / "layer.tar.gz");
  auto list = test::list_tar(t / "layer.tar.gz");

  std::vector<std::string> names;
  for (const auto& e : list) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"srv/", "srv/VERSION", "srv/app/", "srv/app/bin/", "srv/app/bin/server",
                                          "srv/app/current", "srv/app/deep/", "srv/app/deep/" + kLongName,
                                          "srv/app/empty/", "srv/app/etc/", "srv/app/etc/config.txt"});
  for (const auto& e : list) {
    INFO(e.name);
    CHECK(e.uid == 0);
    CHECK(e.gid == 0);
    CHECK(e.mtime == 1700000000);
    CHECK_FALSE(e.has_atime);
    CHECK_FALSE(e.has_ctime);
    CHECK(e.uname.empty());
    CHECK(e.gname.empty());
    CHECK(e.xattrs == 0);
  }
  auto m = by_name(list);
  CHECK(m["srv/"].type == 'd');
  CHECK(m["srv/"].mode == 0755);  // a parent of dest, made up
  CHECK(m["srv/VERSION"].mode == 0600);
  CHECK(m["srv/VERSION"].contents == "1.2.3\n");
  CHECK(m["srv/app/bin/server"].mode == 0755);
  CHECK(m["srv/app/bin/server"].contents == "#!/bin/sh\necho hi\n");
  CHECK(m["srv/app/etc/config.txt"].mode == 0640);
  CHECK(m["srv/app/current"].type == 'l');
  CHECK(m["srv/app/current"].link_target == "bin/server");
  CHECK(m["srv/app/empty/"].type == 'd');
  CHECK(m["srv/app/deep/" + kLongName].contents == "long\n");
}

TEST_CASE("layer: mode, uid and gid apply to what src holds, parents stay root 0755", "[image]") {
  TempDir t("hoist-layer");
  make_app(t.path());
  write_layer(plan_layer({LayerEntry{"app/etc", "/opt/x/etc", 0600, 1000, 2000, {}}}, t.path()), {},
              t / "layer.tar.gz");
  auto m = by_name(test::list_tar(t / "layer.tar.gz"));
  REQUIRE(m.size() == 4);
  CHECK(m["opt/"].uid == 0);
  CHECK(m["opt/x/"].mode == 0755);
  CHECK(m["opt/x/etc/"].uid == 1000);
  CHECK(m["opt/x/etc/"].gid == 2000);
  CHECK(m["opt/x/etc/config.txt"].mode == 0600);
  CHECK(m["opt/x/etc/config.txt"].uid == 1000);
}

TEST_CASE("layer: exclude patterns skip names at any depth and whole directories", "[image]") {
  TempDir t("hoist-layer");
  make_app(t.path());
  test::write_tree_file(t.path() / "app/bin/server.o", "obj", 0644);
  test::write_tree_file(t.path() / "app/lib/x.o", "obj", 0644);
  test::write_tree_file(t.path() / "app/lib/keep.so", "so", 0644);
  auto items = plan_layer({LayerEntry{"app", "/app", {}, {}, {}, {"*.o", "etc", "deep/*"}}}, t.path());
  std::vector<std::string> names;
  for (const auto& i : items) names.push_back(i.name);
  CHECK(names == std::vector<std::string>{"app", "app/bin", "app/bin/server", "app/current", "app/deep", "app/empty",
                                          "app/lib", "app/lib/keep.so"});
}

TEST_CASE("layer: dest outside the image root and escaping symlinks are refused, naming the path", "[image]") {
  TempDir t("hoist-layer");
  make_app(t.path());
  CHECK_THROWS_MATCHES(plan_layer({LayerEntry{"app", "/../etc", {}, {}, {}, {}}}, t.path()), InputError,
                       Catch::Message("dest '/../etc' is outside the image root"));
  CHECK_THROWS_MATCHES(plan_layer({LayerEntry{"app", "a/../../x", {}, {}, {}, {}}}, t.path()), InputError,
                       Catch::Message("dest 'a/../../x' is outside the image root"));
  CHECK(normalize_dest("/a/../b/./c/") == "b/c");

  SECTION("a symlink inside src that climbs out of the build directory") {
    fs::create_symlink("../../../../etc/passwd", t.path() / "app/etc/passwd");
    auto canon = fs::canonical(t.path()).string();
    CHECK_THROWS_MATCHES(plan_layer({LayerEntry{"app", "/app", {}, {}, {}, {}}}, t.path()), InputError,
                         Catch::Message("symlink " + canon + "/app/etc/passwd -> ../../../../etc/passwd points "
                                        "outside the build directory " + canon));
  }
  SECTION("a src that is a symlink to outside the build directory") {
    fs::create_symlink("/etc", t.path() / "sys");
    CHECK_THROWS_MATCHES(plan_layer({LayerEntry{"sys", "/etc", {}, {}, {}, {}}}, t.path()), InputError,
                         Catch::Message("src 'sys' resolves to /etc, outside the build directory " +
                                        fs::canonical(t.path()).string()));
  }
  SECTION("a src that does not exist") {
    CHECK_THROWS_MATCHES(plan_layer({LayerEntry{"nope", "/x", {}, {}, {}, {}}}, t.path()), InputError,
                         Catch::Message("src 'nope' does not exist"));
  }
  SECTION("a symlink staying inside the build directory and an absolute one are kept") {
    fs::create_symlink("../../VERSION", t.path() / "app/etc/version");
    fs::create_symlink("/usr/bin/env", t.path() / "app/bin/env");
    CHECK_NOTHROW(plan_layer({LayerEntry{"app", "/app", {}, {}, {}, {}}}, t.path()));
  }
}

TEST_CASE("layer: one pass gives sha256sum of the blob and of the gunzipped tar, with a fixed gzip header",
          "[image]") {
  TempDir t("hoist-layer");
  make_app(t.path());
  std::string big;
  for (long long i = 0; i < 300000; ++i) big += std::to_string(i * 7919 % 100003) + "\n";
  test::write_tree_file(t.path() / "app/big.txt", big, 0644);
  LayerDigests d = write_layer(plan_layer(app_entries(), t.path()), {}, t / "layer.tar.gz");
  std::string blob = test::read_file(t.file("layer.tar.gz"));
  CHECK(d.size == blob.size());
  CHECK("sha256:" + shell_out("sha256sum " + t.file("layer.tar.gz") + " | cut -c1-64 | tr -d '\\n'") == d.digest);
  CHECK("sha256:" + shell_out("gzip -dc " + t.file("layer.tar.gz") + " | sha256sum | cut -c1-64 | tr -d '\\n'") ==
        d.diff_id);
  CHECK(std::stoull(shell_out("gzip -dc " + t.file("layer.tar.gz") + " | wc -c")) == d.tar_size);
  CHECK(d.tar_size % 512 == 0);
  // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=4 (fastest) OS=255
  CHECK(blob.substr(0, 10) == std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\xff", 10));
  CHECK(sha256_file(t / "layer.tar.gz") == d.digest);
}

TEST_CASE("layer: memory stays flat however large the layer (a 256 MiB file adds far less to peak RSS)", "[image]") {
  TempDir t("hoist-layer");
  fs::create_directories(t.path() / "big");
  {
    std::ofstream out(t.path() / "big/blob", std::ios::binary);
    std::string chunk(1 << 20, '\0');
    for (int i = 0; i < 256; ++i) {
      for (std::size_t j = 0; j < chunk.size(); j += 4096) chunk[j] = static_cast<char>(i + j);  // not one long run
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }
  }
  struct rusage before {};
  ::getrusage(RUSAGE_SELF, &before);
  LayerDigests d = write_layer(plan_layer({{"big", "/big", {}, {}, {}, {}}}, t.path()), {}, t / "layer.tar.gz");
  struct rusage after {};
  ::getrusage(RUSAGE_SELF, &after);
  CHECK(d.tar_size > 256u << 20);
  CHECK(after.ru_maxrss - before.ru_maxrss < 32 * 1024);  // KiB: under 32 MiB of growth for 256 MiB of layer
}

TEST_CASE("layer: a file that changes size after planning, and a FIFO, are errors naming the path", "[image]") {
  TempDir t("hoist-layer");
  make_app(t.path());
  auto items = plan_layer(app_entries(), t.path());
  test::write_tree_file(t.path() / "VERSION", "1.2.3-longer\n", 0600);
  auto canon = fs::canonical(t.path()).string();
  CHECK_THROWS_MATCHES(write_layer(items, {}, t / "layer.tar.gz"), Error,
                       Catch::Message(canon + "/VERSION changed while the layer was being written"));

  REQUIRE(::mkfifo((t.path() / "app/pipe").c_str(), 0644) == 0);
  CHECK_THROWS_MATCHES(plan_layer(app_entries(), t.path()), InputError,
                       Catch::Message("cannot put " + canon + "/app/pipe in a layer: only files, directories and "
                                      "symlinks can be"));
}

TEST_CASE("layer: non-ASCII names and link targets are written as UTF-8 under any locale, read back by GNU tar",
          "[image]") {
  // Debian's ca-certificates has links such as 988a38cb.0 -> NetLock_Arany_=Class_Gold=_Főtanúsítvány.pem; the test
  // process runs under the C locale, where libarchive alone cannot convert such names.
  TempDir t("hoist-layer");
  const std::string cert = "NetLock_Arany_=Class_Gold=_F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny.pem";
  test::write_tree_file(t / "certs" / cert, "-----BEGIN CERTIFICATE-----\n", 0644);
  fs::create_symlink(cert, t / "certs/988a38cb.0");
  write_layer(plan_layer({LayerEntry{"certs", "/etc/ssl/certs", {}, {}, {}, {}}}, t.path()), {0, 1},
              t / "layer.tar.gz");
  fs::create_directories(t / "out");
  shell_out("tar -xzf '" + (t / "layer.tar.gz").string() + "' -C '" + (t / "out").string() + "'");
  CHECK(fs::read_symlink(t / "out/etc/ssl/certs/988a38cb.0").string() == cert);
  std::ifstream in(t / "out/etc/ssl/certs" / cert);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  CHECK(text == "-----BEGIN CERTIFICATE-----\n");
}
