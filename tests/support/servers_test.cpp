// Proves the test servers every other test relies on really work, with real clients: libcurl against each registry
// mode, the git CLI against the git server. If these fail, fix the servers before reading any other failure.
#include <catch2/catch.hpp>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/command.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/temp_dir.hpp"

using hoist::test::Command;
using hoist::test::git_command;
using hoist::test::GitServer;
using hoist::test::process_alive;
using hoist::test::RegistryServer;
using hoist::test::run_command;
using hoist::test::ScriptedServer;
using hoist::test::TempDir;

namespace {

// ---- a minimal libcurl client, just enough to speak to the servers ----

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::vector<std::string> headers;
  std::string username, password;  // basic auth when username is set
  std::string ca_file;             // verify against this CA instead of the system store
  std::string resolve;             // CURLOPT_RESOLVE entry, "host:port:127.0.0.1"
};

struct HttpResponse {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased
};

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) throw std::runtime_error("curl_easy_setopt failed");
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* user) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * count;
}

HttpResponse http(const HttpRequest& request) {
  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  CurlList headers(nullptr, &curl_slist_free_all);
  for (const auto& h : request.headers) headers.reset(curl_slist_append(headers.release(), h.c_str()));
  CurlList resolve(nullptr, &curl_slist_free_all);
  if (!request.resolve.empty()) resolve.reset(curl_slist_append(nullptr, request.resolve.c_str()));

  HttpResponse response;
  CURL* c = curl.get();
  set(c, CURLOPT_URL, request.url.c_str());
  set(c, CURLOPT_NOPROXY, "*");  // loopback only, whatever the environment says
  set(c, CURLOPT_NOSIGNAL, 1L);
  set(c, CURLOPT_TIMEOUT, 30L);
  set(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") set(c, CURLOPT_NOBODY, 1L);
  if (request.method == "POST" || request.method == "PUT") {
    set(c, CURLOPT_POSTFIELDS, request.body.data());
    set(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  if (headers) set(c, CURLOPT_HTTPHEADER, headers.get());
  if (resolve) set(c, CURLOPT_RESOLVE, resolve.get());
  if (!request.username.empty()) {
    set(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    set(c, CURLOPT_USERNAME, request.username.c_str());
    set(c, CURLOPT_PASSWORD, request.password.c_str());
  }
  if (!request.ca_file.empty()) set(c, CURLOPT_CAINFO, request.ca_file.c_str());
  set(c, CURLOPT_WRITEFUNCTION, &append_body);
  set(c, CURLOPT_WRITEDATA, &response.body);
  set(c, CURLOPT_HEADERFUNCTION, &collect_header);
  set(c, CURLOPT_HEADERDATA, &response.headers);
  response.code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

// A request to REGISTRY, with its CA and credentials.
HttpRequest to(const RegistryServer& registry, const std::string& path, const std::string& method = "GET") {
  HttpRequest request;
  request.method = method;
  request.url = path.starts_with("http") ? path : registry.url() + path;
  request.ca_file = registry.ca_file().string();
  request.username = registry.username();
  request.password = registry.password();
  return request;
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr)) throw std::runtime_error("sha256");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += digits[digest[i] >> 4];
    hex += digits[digest[i] & 15];
  }
  return hex;
}

// Uploads BLOB to REPO with the two-step (POST, then PUT ?digest=) upload of the distribution API; returns its digest.
std::string push_blob(const RegistryServer& registry, const std::string& repo, const std::string& blob) {
  const std::string digest = "sha256:" + sha256_hex(blob);

  HttpResponse start = http(to(registry, "/v2/" + repo + "/blobs/uploads/", "POST"));
  REQUIRE(start.code == CURLE_OK);
  REQUIRE(start.status == 202);
  std::string location = start.headers["location"];
  REQUIRE_FALSE(location.empty());
  location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + digest;

  HttpRequest put = to(registry, location, "PUT");
  put.body = blob;
  put.headers = {"Content-Type: application/octet-stream"};
  HttpResponse done = http(put);
  REQUIRE(done.code == CURLE_OK);
  CHECK(done.status == 201);
  CHECK(done.headers["docker-content-digest"] == digest);
  return digest;
}

// Pushes a blob, then pulls it back.
void push_and_pull_blob(const RegistryServer& registry) {
  const std::string blob = "hoist test blob " + hoist::test::random_hex(8) + "\n";
  const std::string repo = registry.repository("blobs");
  const std::string digest = push_blob(registry, repo, blob);

  HttpResponse pulled = http(to(registry, "/v2/" + repo + "/blobs/" + digest));
  REQUIRE(pulled.code == CURLE_OK);
  CHECK(pulled.status == 200);
  CHECK(pulled.body == blob);
}

bool port_answers(int port) {
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  return http(request).code != CURLE_COULDNT_CONNECT;
}

// scripts/NAME ARGS... from the source tree.
Command script(const std::string& name, std::vector<std::string> args) {
  Command command;
  command.argv = {std::string(HOIST_SOURCE_DIR) + "/scripts/" + name};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  return command;
}

// ---- git helpers ----

Command git_with(const GitServer& server, std::vector<std::string> args) {
  Command command = git_command(std::move(args));
  for (const auto& [name, value] : server.credential_env()) command.set_env[name] = value;
  return command;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("plain registry answers /v2/ and stores blobs", "[servers]") {
  RegistryServer registry(RegistryServer::Mode::plain);
  CHECK(registry.url() == "http://" + registry.host());
  CHECK(registry.host().starts_with("127.0.0.1:"));
  CHECK(registry.ca_file().empty());
  CHECK(registry.username().empty());
  CHECK(registry.ns().size() == 9);
  CHECK(registry.image("app") == registry.host() + "/" + registry.ns() + "/app");

  HttpResponse v2 = http(to(registry, "/v2/"));
  REQUIRE(v2.code == CURLE_OK);
  CHECK(v2.status == 200);
  CHECK(v2.headers["docker-distribution-api-version"] == "registry/2.0");
  push_and_pull_blob(registry);
}

TEST_CASE("registry stores an OCI image manifest under a tag", "[servers]") {
  RegistryServer registry;
  const std::string repo = registry.repository("app");
  const std::string config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
  const std::string config_digest = push_blob(registry, repo, config);
  const std::string manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                               R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
                               config_digest + R"(","size":)" + std::to_string(config.size()) + R"(},"layers":[]})";

  HttpRequest put = to(registry, "/v2/" + repo + "/manifests/v1", "PUT");
  put.body = manifest;
  put.headers = {"Content-Type: application/vnd.oci.image.manifest.v1+json"};
  HttpResponse stored = http(put);
  REQUIRE(stored.code == CURLE_OK);
  INFO(stored.body);
  REQUIRE(stored.status == 201);
  CHECK(stored.headers["docker-content-digest"] == "sha256:" + sha256_hex(manifest));

  HttpRequest get = to(registry, "/v2/" + repo + "/manifests/v1");
  get.headers = {"Accept: application/vnd.oci.image.manifest.v1+json"};
  HttpResponse fetched = http(get);
  CHECK(fetched.status == 200);
  CHECK(fetched.body == manifest);  // byte for byte: digests depend on it
  CHECK(fetched.headers["content-type"] == "application/vnd.oci.image.manifest.v1+json");
}

TEST_CASE("auth registry wants its credentials, over plain HTTP", "[servers]") {
  RegistryServer registry(RegistryServer::Mode::basic_auth);
  CHECK(registry.scheme() == "http");
  REQUIRE_FALSE(registry.username().empty());
  REQUIRE(registry.password().size() >= 32);

  HttpRequest anonymous = to(registry, "/v2/");
  anonymous.username.clear();
  HttpResponse refused = http(anonymous);
  REQUIRE(refused.code == CURLE_OK);
  CHECK(refused.status == 401);
  CHECK(refused.headers["www-authenticate"].starts_with("Basic realm="));

  HttpRequest wrong = to(registry, "/v2/");
  wrong.password = "not-the-password";
  CHECK(http(wrong).status == 401);

  HttpResponse allowed = http(to(registry, "/v2/"));
  REQUIRE(allowed.code == CURLE_OK);
  CHECK(allowed.status == 200);
  push_and_pull_blob(registry);
}

TEST_CASE("TLS registry is trusted through its generated CA only", "[servers]") {
  RegistryServer registry(RegistryServer::Mode::tls);
  CHECK(registry.url() == "https://" + registry.host());
  REQUIRE(std::filesystem::exists(registry.ca_file()));

  HttpResponse verified = http(to(registry, "/v2/"));
  REQUIRE(verified.code == CURLE_OK);
  CHECK(verified.status == 200);

  // The certificate also names localhost.
  HttpRequest by_name = to(registry, "https://localhost:" + std::to_string(registry.port()) + "/v2/");
  by_name.resolve = "localhost:" + std::to_string(registry.port()) + ":127.0.0.1";
  CHECK(http(by_name).code == CURLE_OK);

  HttpRequest system_store = to(registry, "/v2/");
  system_store.ca_file.clear();
  CHECK(http(system_store).code == CURLE_PEER_FAILED_VERIFICATION);

  push_and_pull_blob(registry);
}

TEST_CASE("auth+TLS registry needs both the CA and the credentials", "[servers]") {
  RegistryServer registry(RegistryServer::Mode::basic_auth_tls);
  HttpRequest anonymous = to(registry, "/v2/");
  anonymous.username.clear();
  CHECK(http(anonymous).status == 401);
  CHECK(http(to(registry, "/v2/")).status == 200);
}

TEST_CASE("registries run side by side, each with its own port and namespace", "[servers]") {
  RegistryServer a, b;
  CHECK(a.port() != b.port());
  CHECK(a.ns() != b.ns());
  CHECK(http(to(a, "/v2/")).status == 200);
  CHECK(http(to(b, "/v2/")).status == 200);
}

TEST_CASE("start scripts keep their credentials in a private env file", "[servers]") {
  TempDir dir("hoist-script");
  Command start = script("start-git-server", {dir.path().string()});
  Command stop = script("stop-servers", {dir.path().string()});
  hoist::test::CommandResult started = run_command(start);
  struct Guard {
    const Command& stop;
    ~Guard() { run_command(stop); }
  } guard{stop};
  REQUIRE(started.ok());

  auto env_file = dir / "git.env";
  CHECK(started.out == env_file.string() + "\n");
  struct stat info {};
  REQUIRE(::stat(env_file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  auto env = hoist::test::read_env_file(env_file);
  const std::string password = env["HOIST_TEST_GIT_PASSWORD"];
  REQUIRE(password.size() == 32);
  CHECK(started.out.find(password) == std::string::npos);
  CHECK(started.err.find(password) == std::string::npos);
  CHECK(slurp(dir / "git.log").find(password) == std::string::npos);
  CHECK(slurp(dir / "git-lighttpd.conf").find(password) == std::string::npos);

  // A second server of the same kind in the same directory is refused; stop-servers is idempotent.
  CHECK_FALSE(run_command(start).ok());
  CHECK(run_command(stop).ok());
  CHECK(run_command(stop).ok());
  CHECK_FALSE(std::filesystem::exists(dir / "git.pid"));
}

TEST_CASE("a server that cannot start throws with the reason", "[servers]") {
  try {
    ScriptedServer server("start-registry", "registry", {"bogus-mode"});
    FAIL("expected the start to fail");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(std::string(e.what()),
               Catch::Contains("start-registry failed") && Catch::Contains("unknown mode 'bogus-mode'"));
  }
}

TEST_CASE("destroyed fixtures leave no process and no open port behind", "[servers]") {
  std::vector<int> pids;
  std::vector<int> ports;
  std::vector<std::filesystem::path> dirs;
  {
    RegistryServer registry(RegistryServer::Mode::basic_auth_tls);
    GitServer git;
    REQUIRE(registry.pids().size() == 2);  // the server and its watchdog
    REQUIRE(git.pids().size() == 2);
    for (const auto* server_pids : {&registry.pids(), &git.pids()}) {
      pids.insert(pids.end(), server_pids->begin(), server_pids->end());
    }
    ports = {registry.port(), std::stoi(git.host().substr(git.host().rfind(':') + 1))};
    dirs = {registry.dir(), git.dir()};
    for (int pid : pids) CHECK(process_alive(pid));
    for (int port : ports) CHECK(port_answers(port));
  }
  for (int pid : pids) CHECK_FALSE(process_alive(pid));
  for (int port : ports) CHECK_FALSE(port_answers(port));
  for (const auto& dir : dirs) CHECK_FALSE(std::filesystem::exists(dir));
}

namespace {

// The state letter of /proc/PID/stat, or 0 when it cannot be read.
char leader_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line) || line.rfind(')') == std::string::npos) return 0;
  return line[line.rfind(')') + 2];
}

}  // namespace

TEST_CASE("a process whose main thread exited is alive while another thread runs (it still holds its ports)",
          "[servers]") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::thread([] { std::this_thread::sleep_for(std::chrono::milliseconds(1500)); }).detach();
    ::syscall(SYS_exit, 0);  // this thread only, as a multi-threaded server's main thread may end first
  }
  for (int i = 0; i < 250 && leader_state(child) != 'Z'; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(leader_state(child) == 'Z');
  const std::string alive_in_bash = std::string(". ") + HOIST_SOURCE_DIR + "/scripts/lib/servers.sh && servers_alive " +
                                    std::to_string(child) + " && echo alive || echo gone";
  Command check{{"bash", "-c", alive_in_bash}};
  CHECK(process_alive(child));
  CHECK(run_command(check).out == "alive\n");
  for (int i = 0; i < 500 && process_alive(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(process_alive(child));
  CHECK(run_command(check).out == "gone\n");
  ::waitpid(child, nullptr, 0);
}

TEST_CASE("the watchdog stops a server whose owner died", "[servers]") {
  pid_t owner = ::fork();  // an owner that is gone at once
  REQUIRE(owner >= 0);
  if (owner == 0) ::_exit(0);
  ::waitpid(owner, nullptr, 0);

  TempDir dir("hoist-watchdog");
  Command start = script("start-registry", {dir.path().string()});
  start.set_env["HOIST_TEST_SERVER_OWNER_PID"] = std::to_string(owner);
  Command stop = script("stop-servers", {dir.path().string()});
  auto started = run_command(start);
  struct Guard {
    const Command& stop;
    ~Guard() { run_command(stop); }
  } guard{stop};
  REQUIRE(started.ok());
  int pid = std::stoi(hoist::test::read_env_file(dir / "registry.env")["HOIST_TEST_REGISTRY_PID"]);
  for (int i = 0; i < 100 && process_alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(process_alive(pid));
}

TEST_CASE("git server serves seeded repositories to authenticated clients", "[servers]") {
  GitServer server;
  server.create_repo("manifests", {
      {"master", {{"hoist.yaml", "environments: {}\n"}}},
      {"qa", {{"api-gateway/qa.values.yaml", "image:\n  tag: abc1234\n"}, {"README", "qa\n"}}},
  });
  const std::string url = server.url("manifests");
  CHECK(url == server.base_url() + "/manifests.git");
  CHECK(url.find('@') == std::string::npos);
  TempDir work("hoist-git-work");
  auto clone = work / "clone";

  SECTION("anonymous clients get 401") {
    CHECK_FALSE(run_command(git_command({"clone", "--quiet", url, clone.string()})).ok());
    HttpRequest refs;
    refs.url = url + "/info/refs?service=git-upload-pack";
    CHECK(http(refs).status == 401);
    refs.username = server.username();
    refs.password = "wrong";
    CHECK(http(refs).status == 401);
    refs.password = server.password();
    CHECK(http(refs).status == 200);
  }

  SECTION("clone sees every seeded branch and file") {
    auto cloned = run_command(git_with(server, {"clone", "--quiet", url, clone.string()}));
    REQUIRE(cloned.ok());
    CHECK(cloned.err.find(server.password()) == std::string::npos);
    CHECK(slurp(clone / "hoist.yaml") == "environments: {}\n");  // HEAD is master
    auto qa = run_command(git_command({"-C", clone.string(), "show", "origin/qa:api-gateway/qa.values.yaml"}));
    REQUIRE(qa.ok());
    CHECK(qa.out == "image:\n  tag: abc1234\n");
    // The clone's config holds the plain URL, never a credential.
    CHECK(slurp(clone / ".git" / "config").find(server.password()) == std::string::npos);
  }

  SECTION("pushes land in the bare repository") {
    REQUIRE(run_command(git_with(server, {"clone", "--quiet", "--branch", "qa", url, clone.string()})).ok());
    std::filesystem::create_directories(clone / "api-gateway");
    std::ofstream(clone / "api-gateway" / "qa.values.yaml") << "image:\n  tag: def5678\n";
    REQUIRE(run_command(git_command({"-C", clone.string(), "commit", "--quiet", "-am", "bump"})).ok());
    auto pushed = run_command(git_with(server, {"-C", clone.string(), "push", "--quiet", "origin", "qa", "HEAD:new"}));
    REQUIRE(pushed.ok());
    auto local = trimmed(run_command(git_command({"-C", clone.string(), "rev-parse", "HEAD"})).out);
    CHECK(server.head("manifests", "qa") == local);
    CHECK(server.head("manifests", "new") == local);
    CHECK(server.read_file("manifests", "qa", "api-gateway/qa.values.yaml") == "image:\n  tag: def5678\n");

    // Without credentials the push is refused and nothing changes.
    std::ofstream(clone / "README") << "changed\n";
    REQUIRE(run_command(git_command({"-C", clone.string(), "commit", "--quiet", "-am", "anonymous"})).ok());
    CHECK_FALSE(run_command(git_command({"-C", clone.string(), "push", "--quiet", "origin", "qa"})).ok());
    CHECK(server.head("manifests", "qa") == local);
  }

  SECTION("commit() adds history on top of the seed, as another pusher would") {
    auto seed = server.head("manifests", "qa");
    REQUIRE(seed);
    auto id = server.commit("manifests", "qa", {{"api-gateway/qa.values.yaml", "image:\n  tag: fff0000\n"}}, "bump");
    CHECK(server.head("manifests", "qa") == id);
    CHECK(server.read_file("manifests", "qa", "api-gateway/qa.values.yaml") == "image:\n  tag: fff0000\n");
    CHECK(server.read_file("manifests", "qa", "README") == "qa\n");  // untouched files stay
    CHECK(server.read_file("manifests", "qa", "missing") == std::nullopt);
    auto parent = run_command(git_command({"--git-dir=" + server.repo_path("manifests").string(), "rev-parse",
                                           id + "^"}));
    CHECK(trimmed(parent.out) == *seed);
    CHECK(server.head("manifests", "nope") == std::nullopt);
  }
}
