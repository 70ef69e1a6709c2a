// See build_step.hpp.
#include "steps/image/build_step.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "runner/util/byte_size.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/plural.hpp"
#include "runner/util/strings.hpp"
#include "steps/image/build_spec.hpp"
#include "steps/image/push_record.hpp"
#include "steps/image/registry_access.hpp"

namespace hoist::image {
namespace {

namespace fs = std::filesystem;
using registry::BlobFile;
using registry::Reference;

std::string short_digest(const std::string& digest) { return digest.substr(0, 7 + 12); }

long long created_from(const StepContext& ctx) {
  std::string s = value_or_empty(ctx.env, "SOURCE_DATE_EPOCH");
  if (s.empty()) return 0;
  bool ok = s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) throw InputError("SOURCE_DATE_EPOCH must be a non-negative integer, got '" + s + "'");
  return std::stoll(s);
}

// Everything the resolved `with` says, checked.
struct Target {
  BuildSpec spec;
  RegistryAccess access;
  Reference repo;  // no tag, no digest
  std::vector<std::string> tags;
};

Target resolve(const StepContext& ctx) {
  Diagnostics d;
  Target t;
  t.spec = parse_build_spec(ctx.with, ctx.step.loc.file, d);
  t.access = read_registry_access(ctx.with, ctx.step.loc.file, d);
  throw_first_problem(ctx, d);
  Reference image = registry::parse_reference(t.spec.image);
  if (!image.digest.empty())
    throw InputError("step '" + ctx.step.id + "': image '" + t.spec.image + "' must not name a digest: the build makes one");
  if (has_explicit_tag(t.spec.image)) t.tags.push_back(image.tag);
  for (const auto& tag : t.spec.tags)
    if (std::find(t.tags.begin(), t.tags.end(), tag) == t.tags.end()) t.tags.push_back(tag);
  if (t.tags.empty()) t.tags.push_back("latest");
  // [A-Za-z0-9_][A-Za-z0-9._-]{0,127}, by hand: no std::regex (it recurses once per character) on user text.
  auto tag_ok = [](const std::string& tag) {
    auto word = [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    };
    if (tag.empty() || tag.size() > 128 || !word(tag[0])) return false;
    return std::all_of(tag.begin() + 1, tag.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
  };
  for (const auto& tag : t.tags)
    if (!tag_ok(tag))
      throw InputError("step '" + ctx.step.id + "': '" + tag + "' is not a valid tag (letters, digits, _ . -, at most 128)");
  t.repo = image;
  t.repo.tag.clear();
  if (t.spec.base != "scratch") registry::parse_reference(t.spec.base);  // a bad base is an input error up front
  return t;
}

// A blob of the built image, and whether it is one of ours (a config or a new layer, in the store) or the base's.
struct ImageBlob {
  BlobFile file;
  bool from_base = false;
};

// The config and layers of every platform manifest, each once, configs first.
std::vector<ImageBlob> image_blobs(const BuiltImage& built, const ContentStore& store) {
  std::vector<ImageBlob> out;
  std::set<std::string> seen, ours;
  for (const auto& layer : built.layers) ours.insert(layer.digest);
  for (const auto& image : built.images) ours.insert(image.config.digest);
  auto add = [&](const nlohmann::json& d) {
    std::string digest = d.at("digest");
    if (!seen.insert(digest).second) return;
    ImageBlob b;
    b.from_base = !ours.count(digest);
    b.file = BlobFile{b.from_base ? fs::path() : store.blob_path(digest), digest, d.at("size").get<std::uint64_t>(),
                      d.value("mediaType", "")};
    out.push_back(std::move(b));
  };
  for (const auto& image : built.images) {
    nlohmann::json m = nlohmann::json::parse(store.read(image.manifest.digest));
    add(m.at("config"));
    for (const auto& layer : m.at("layers")) add(layer);
  }
  return out;
}

// Between phases: a cancelled step (Ctrl-C, timeout) stops before it starts the next registry write.
void check_cancel(const StepContext& ctx) {
  if (ctx.cancel.cancelled()) throw Error("interrupted before the push finished; no tag was written", ExitCode::interrupted);
}

registry::Manifest stored_manifest(const ContentStore& store, const Descriptor& d) {
  return registry::Manifest::from_bytes(store.read(d.digest), d.media_type);
}

class ImageBuildStep : public StepKind {
 public:
  std::string name() const override { return "image/build"; }
  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    validate_build_spec(step, file, diags);
    if (step.with && step.with.IsMap()) check_reference(step.with["image"], file, diags);
    if (step.with && step.with.IsMap()) check_reference(step.with["base"], file, diags);
  }
  OutputSpec outputs() const override { return {{"digest", "ref", "tags"}, false}; }
  std::vector<std::string> secret_keys() const override { return {"password"}; }
  void plan(StepContext& ctx) const override { run(ctx, true); }
  void apply(StepContext& ctx) const override { run(ctx, false); }

 private:
  void run(StepContext& ctx, bool plan) const {
    Target t = resolve(ctx);
    auto say = [&](const std::string& line) { ctx.print(line, OutputStream::out); };
    std::vector<std::string> registries{t.repo.registry};
    if (t.spec.base != "scratch") registries.push_back(registry::parse_reference(t.spec.base).registry);
    registry::RegistryClient client(step_client_options(t.access, {t.repo.registry}, registries, ctx));

    // Build: layers into the local content store (cached), base manifests and configs read from the registry.
    std::string cache_root = value_or_empty(ctx.env, "HOIST_CACHE");
    ContentStore store(cache_root.empty() ? ContentStore::default_root() : fs::path(cache_root));
    LayerCache cache(store);
    BuildContext bc;
    bc.build_dir = fs::absolute(ctx.working_dir.empty() ? fs::current_path() : fs::path(ctx.working_dir));
    bc.created = created_from(ctx);
    bc.revision = value_or_empty(ctx.env, "COMMIT_SHA");
    bc.source = value_or_empty(ctx.env, "REPO_URL");
    RegistryBases bases(client, &store);
    BuiltImage built = build_image(t.spec, bc, bases.lookup(), store, cache);
    say("built " + counted(built.layers.size(), "layer") + ": " + std::to_string(cache.stats().hits) +
        " from the cache, " + std::to_string(cache.stats().misses) + " compressed (" +
        human_size(cache.stats().bytes_compressed) + " of tar)");

    std::vector<ImageBlob> blobs = image_blobs(built, store);
    const std::string digest = built.top.digest;
    const std::string ref = t.repo.name() + "@" + digest;
    ctx.outputs["digest"] = digest;
    ctx.outputs["ref"] = ref;
    std::string tag_list;
    for (const auto& tag : t.tags) tag_list += (tag_list.empty() ? "" : ",") + tag;
    ctx.outputs["tags"] = tag_list;

    if (plan) {
      for (const auto& b : blobs) {
        bool there = client.blob_exists(t.repo, b.file.digest);
        std::string what = there ? "exists      " : b.from_base ? "from base   " : "would upload";
        say("  " + what + " " + short_digest(b.file.digest) + " (" + human_size(b.file.size) + ")");
      }
      say("would put manifest " + digest + (built.images.size() > 1 ? " (index of " +
          std::to_string(built.images.size()) + " platforms)" : "") + " as " + t.repo.name() + ":" + tag_list);
      return;
    }

    check_cancel(ctx);
    // Pushed from here before into this very repository: the tags alone, unless the registry lost something.
    PushRecords pushed(store);
    if (pushed.has(t.repo.name(), digest)) {
      if (put_tags_only(ctx, client, t, stored_manifest(store, built.top))) {
        say("pushed to " + t.repo.name() + " from here before: only the tags were put");
        for (const auto& b : blobs)
          if (ctx.progress) ctx.progress(BlobProgress{BlobProgress::State::skipped, b.file.digest, 0, b.file.size});
        registry::TransferStats s = client.stats();
        s.blobs_skipped += blobs.size();
        say_pushed(ctx, ref, tag_list, s);
        return;
      }
      pushed.forget(t.repo.name(), digest);
    }

    // The base's layers into the target repository: mounted within one registry, streamed across registries. Each
    // blob's progress and outcome (pushed, mounted, skipped) reaches the reporters through ctx.progress.
    for (const auto& base : bases.resolved()) {
      registry::CopyResult c = client.copy_image(base, t.repo.with_digest(base.digest));
      say("base " + base.str() + ": " + std::to_string(c.stats.blobs_mounted) + " mounted, " +
          std::to_string(c.stats.blobs_skipped) + " already there, " + std::to_string(c.stats.blobs_uploaded) +
          " copied (" + human_size(c.stats.bytes_uploaded) + ")");
    }

    check_cancel(ctx);
    // Our blobs: each HEADed (present: skipped), the rest uploaded in parallel.
    std::vector<BlobFile> ours;
    for (const auto& b : blobs)
      if (!b.from_base) ours.push_back(b.file);
    client.push_blobs(t.repo, ours);

    check_cancel(ctx);
    // Manifests: every platform manifest by digest, then the top by digest, then each tag (last).
    for (const auto& image : built.images)
      if (image.manifest.digest != digest)
        client.put_manifest(t.repo.with_digest(image.manifest.digest), stored_manifest(store, image.manifest));
    registry::Manifest top = stored_manifest(store, built.top);
    client.put_manifest(t.repo.with_digest(digest), top);
    for (const auto& tag : t.tags) client.put_manifest(t.repo.with_tag(tag), top);
    pushed.remember(t.repo.name(), digest);

    registry::TransferStats s = client.stats();
    say_pushed(ctx, ref, tag_list, s);
  }

  // The tags of an image this machine pushed to the repository before (push_record.hpp): every blob and manifest
  // is there, so only the tags are put. False, with nothing else written, when the registry refuses a tag because
  // something the manifest names is gone.
  static bool put_tags_only(StepContext& ctx, registry::RegistryClient& client, const Target& t,
                            const registry::Manifest& top) {
    try {
      for (const auto& tag : t.tags) client.put_manifest(t.repo.with_tag(tag), top);
      return true;
    } catch (const Error& e) {
      check_cancel(ctx);
      ctx.print(std::string("pushed here before, but the registry refused the manifest (") + e.what() +
                    "): pushing it all again",
                OutputStream::err);
      return false;
    }
  }

  static void say_pushed(StepContext& ctx, const std::string& ref, const std::string& tag_list,
                         const registry::TransferStats& s) {
    ctx.print("pushed " + ref + " as " + tag_list, OutputStream::out);
    ctx.print("summary: uploaded " + std::to_string(s.blobs_uploaded) + " blobs (" +
                  std::to_string(s.bytes_uploaded) + " bytes), mounted " + std::to_string(s.blobs_mounted) +
                  ", skipped " + std::to_string(s.blobs_skipped) + ", manifests " + std::to_string(s.manifests_put),
              OutputStream::out);
  }
};

}  // namespace

std::unique_ptr<StepKind> make_image_build_step() { return std::make_unique<ImageBuildStep>(); }

}  // namespace hoist::image
