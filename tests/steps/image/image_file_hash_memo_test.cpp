// The stat-keyed memo of file hashes (steps/image/file_hash_memo.hpp): an unchanged file is not read again, any
// change of its stat data (ctime included) makes it read again, and racily-clean entries are not trusted.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "steps/digest/sha256.hpp"
#include "steps/image/content_store.hpp"
#include "steps/image/file_hash_memo.hpp"
#include "steps/image/layer_cache.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using namespace hoist::image;
using hoist::test::TempDir;

namespace {

struct stat stat_with(std::int64_t mtime_s, std::int64_t ctime_s) {
  struct stat st {};
  st.st_dev = 1;
  st.st_ino = 42;
  st.st_size = 10;
  st.st_mode = S_IFREG | 0644;
  st.st_mtim.tv_sec = mtime_s;
  st.st_ctim.tv_sec = ctime_s;
  return st;
}

constexpr std::int64_t kSecond = 1'000'000'000;

}  // namespace

TEST_CASE("file hash memo: trusted when the stat data match and the entry is not racy", "[image]") {
  TempDir t("hoist-memo");
  const fs::path file = t.path() / "memo.json";
  {
    FileHashMemo memo(file);
    memo.remember("/src/a", stat_with(100, 100), "sha256:aa", 105 * kSecond);  // hashed 5 s after the last change
    memo.remember("/src/racy", stat_with(100, 100), "sha256:bb", 100 * kSecond + kSecond / 2);  // within 1 s
    memo.save();
  }
  FileHashMemo memo(file);
  CHECK(memo.lookup("/src/a", stat_with(100, 100)) == "sha256:aa");
  CHECK_FALSE(memo.lookup("/src/a", stat_with(100, 101)).has_value());  // content rewritten, mtime set back
  CHECK_FALSE(memo.lookup("/src/a", stat_with(101, 101)).has_value());
  struct stat moved = stat_with(100, 100);
  moved.st_ino = 43;
  CHECK_FALSE(memo.lookup("/src/a", moved).has_value());
  CHECK_FALSE(memo.lookup("/src/racy", stat_with(100, 100)).has_value());
  CHECK_FALSE(memo.lookup("/src/unknown", stat_with(100, 100)).has_value());
}

TEST_CASE("file hash memo: a damaged memo is empty, and only entries used are written back", "[image]") {
  TempDir t("hoist-memo");
  const fs::path file = t.path() / "memo.json";
  std::ofstream(file) << "{not json";
  FileHashMemo damaged(file);
  CHECK_FALSE(damaged.lookup("/src/a", stat_with(100, 100)).has_value());
  damaged.remember("/src/a", stat_with(100, 100), "sha256:aa", 200 * kSecond);
  damaged.remember("/src/b", stat_with(100, 100), "sha256:bb", 200 * kSecond);
  damaged.save();
  FileHashMemo second(file);
  CHECK(second.lookup("/src/a", stat_with(100, 100)) == "sha256:aa");
  second.save();  // only /src/a was used
  FileHashMemo third(file);
  CHECK(third.lookup("/src/a", stat_with(100, 100)) == "sha256:aa");
  CHECK_FALSE(third.lookup("/src/b", stat_with(100, 100)).has_value());
}

TEST_CASE("layer cache: an unchanged rebuild reads no file, a rewritten one is read again", "[image]") {
  TempDir t("hoist-memo");
  const fs::path src = t.path() / "src";
  for (int i = 0; i < 20; ++i) test::write_tree_file(src / "app" / ("f" + std::to_string(i)), "content " + std::to_string(i) + "\n", 0644);
  // Files written less than a second before they are hashed are racily clean and hashed again next time; a real
  // checkout is older than that by the time a build runs.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ContentStore store(t.path() / "store");
  const std::vector<LayerEntry> entries{{"app", "/app", {}, {}, {}, {}}};

  LayerCache first(store);
  LayerBlob a = first.build(entries, src, {});
  CHECK(first.stats().files_read == 20);

  LayerCache second(store);
  LayerBlob b = second.build(entries, src, {});
  CHECK(b.from_cache);
  CHECK(b.digest == a.digest);
  CHECK(second.stats().files_read == 0);

  test::write_tree_file(src / "app/f7", "CONTENT 7\n", 0644);  // same size, new bytes
  LayerCache third(store);
  LayerBlob c = third.build(entries, src, {});
  CHECK_FALSE(c.from_cache);
  CHECK(c.digest != a.digest);
  CHECK(third.stats().files_read == 1);
}

TEST_CASE("layer cache: a layer of a new shape is hashed while tarred, under the key hashing first gives", "[image]") {
  TempDir t("hoist-memo");
  const fs::path src = t.path() / "src";
  for (int i = 0; i < 12; ++i) test::write_tree_file(src / "app" / ("f" + std::to_string(i)), std::string(1000 + i, 'a' + i), 0644);
  ContentStore store(t.path() / "store");
  const std::vector<LayerEntry> entries{{"app", "/app", {}, {}, {}, {}}};
  const std::vector<TarItem> items = plan_layer(entries, src);

  LayerCache first(store);
  LayerBlob a = first.build(entries, src, {});
  CHECK_FALSE(a.from_cache);
  CHECK(first.stats().files_read == 12);
  // The same bytes as a layer written without hashing on the way.
  CHECK(write_layer(items, {}, t.path() / "plain.tar.gz").digest == a.digest);
  // Recorded under the key that hashing the files first gives (LayerCache::key reads every file).
  CHECK(fs::exists(store.root() / "layers" / (digest_hex(LayerCache::key(items, {})) + ".json")));

  fs::remove(store.root() / "file-hashes");  // no stat memo: the key must come from the contents
  LayerCache second(store);
  LayerBlob b = second.build(entries, src, {});
  CHECK(b.from_cache);
  CHECK(b.digest == a.digest);
  CHECK(second.stats().files_read == 12);
  CHECK(second.stats().misses == 0);
}
