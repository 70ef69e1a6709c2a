// See buildah.hpp.
#include "tests/support/buildah.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace hoist::test {

Buildah::Buildah() {
  // An empty auth file of its own: buildah reads no credentials of the user's (the loopback registries need none).
  std::ofstream(dir_ / "auth.json") << "{\"auths\": {}}\n";
}

Buildah::~Buildah() {
  try {
    buildah({"rm", "--all"});
    buildah({"rmi", "--all", "--force"});
  } catch (...) {
  }
}

CommandResult Buildah::buildah(std::vector<std::string> args) {
  // stdin from /dev/null: with a pipe at EOF on stdin, `buildah run` now and then returned before the command's
  // output reached its stdout.
  std::vector<std::string> argv{"sh", "-c", "exec \"$@\" </dev/null", "sh", "buildah", "--root", dir_.file("root"), "--runroot", dir_.file("runroot"),
                                "--storage-driver", "vfs"};
  argv.insert(argv.end(), args.begin(), args.end());
  // Buildah's own registries.conf and policy.json are Debian's defaults; nothing of the user's is read.
  return run_command(Command{std::move(argv), {{"REGISTRY_AUTH_FILE", dir_.file("auth.json")}}, {}, "", ""});
}

std::string Buildah::from(const std::string& image, const std::string& arch, const std::string& variant) {
  std::vector<std::string> args{"from", "--quiet", "--tls-verify=false", "--pull-always"};
  if (!arch.empty()) args.insert(args.end(), {"--arch", arch});
  if (!variant.empty()) args.insert(args.end(), {"--variant", variant});
  args.push_back("docker://" + image);
  CommandResult r = buildah(args);
  if (!r.ok()) throw std::runtime_error("buildah from " + image + " failed: " + r.err);
  std::string name = r.out;
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
  auto nl = name.rfind('\n');
  return nl == std::string::npos ? name : name.substr(nl + 1);
}

CommandResult Buildah::run(const std::string& container, const std::vector<std::string>& argv) {
  std::vector<std::string> args{"run", "--isolation", "chroot", container, "--"};
  args.insert(args.end(), argv.begin(), argv.end());
  // On a loaded machine `buildah run` (1.28, chroot isolation) now and then exits 0 having passed on nothing the
  // command printed; every command the tests run prints something, so such a run is asked again (at most twice).
  CommandResult r = buildah(args);
  for (int again = 0; again < 2 && r.ok() && r.out.empty() && r.err.empty(); ++again) r = buildah(args);
  return r;
}

std::string Buildah::image_json(const std::string& container) {
  CommandResult r = buildah({"inspect", "--type", "container", container});
  if (!r.ok()) throw std::runtime_error("buildah inspect " + container + " failed: " + r.err);
  return nlohmann::json::parse(r.out).at("OCIv1").dump();
}

std::string Buildah::config_json(const std::string& container) {
  return nlohmann::json::parse(image_json(container)).value("config", nlohmann::json::object()).dump();
}

std::vector<std::string> entrypoint_and_cmd(const std::string& config_json) {
  nlohmann::json c = nlohmann::json::parse(config_json);
  std::vector<std::string> out;
  for (const char* key : {"Entrypoint", "Cmd"})
    if (c.contains(key) && c[key].is_array())
      for (const auto& a : c[key]) out.push_back(a.get<std::string>());
  return out;
}

}  // namespace hoist::test
