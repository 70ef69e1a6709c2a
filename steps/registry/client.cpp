// See client.hpp. Blobs and manifests; copy and tag are in copy.cpp.
//
// A blob upload is one unit of retry: HEAD, then (optionally) POST ?mount=&from=, else POST -> PATCH (the whole body,
// Content-Length, application/octet-stream) -> PUT ?digest=. Each Location is resolved against the URL of the
// request that returned it, keeping its query (Distribution carries the upload's state there) and appending digest
// with '&' when a query is present. When anything in the sequence fails transiently the whole sequence starts again
// from a new POST with a freshly opened body: a registry that saw half a PATCH may have stored half of it, so
// resuming a session is not safe.

#include "steps/registry/client.hpp"

#include <atomic>
#include <exception>
#include <nlohmann/json.hpp>
#include <thread>

#include "runner/util/parallel_for.hpp"
#include "steps/digest/sha256.hpp"

namespace hoist::registry {
namespace {

// A download that broke after the sink got bytes: retrying here would feed the sink the start again.
class PartialDownload : public Error {
 public:
  using Error::Error;
};

std::string push_scope(const std::string& repository) { return "repository:" + repository + ":pull,push"; }
std::string pull_scope(const std::string& repository) { return "repository:" + repository + ":pull"; }

// "HTTP 404 BLOB_UNKNOWN: blob unknown to registry" from a registry's error body, or just "HTTP 404".
std::string describe(const HttpResponse& r) {
  std::string s = "HTTP " + std::to_string(r.status);
  try {
    auto j = nlohmann::json::parse(r.body);
    if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
      const auto& e = j["errors"][0];
      s += " " + e.value("code", "") + ": " + e.value("message", "");
    }
  } catch (const std::exception&) {
  }
  return s;
}

// Throws for a response that is not one of `expected`: RetryableError (with Retry-After) when worth retrying.
void expect(const HttpResponse& r, std::initializer_list<long> expected, const std::string& what) {
  for (long e : expected)
    if (r.status == e) return;
  std::string message = what + ": " + describe(r);
  if (r.status == 401) message += " (authentication failed or missing)";
  if (r.status == 403) message += " (access denied)";
  if (is_retryable_status(r.status))
    throw RetryableError(message, parse_retry_after(r.header("retry-after"), std::chrono::system_clock::now()));
  throw Error(message);
}

std::string with_digest_param(const std::string& url, const std::string& digest) {
  std::string escaped = digest;
  if (auto c = escaped.find(':'); c != std::string::npos) escaped.replace(c, 1, "%3A");
  auto hash = url.find('#');
  std::string base = url.substr(0, hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "digest=" + escaped;
}

std::string accept_header() {
  return "Accept: " + std::string(media_type::oci_index) + ", " + std::string(media_type::oci_manifest) + ", " +
         std::string(media_type::docker_manifest_list) + ", " + std::string(media_type::docker_manifest);
}

}  // namespace

TransferStats& TransferStats::operator+=(const TransferStats& o) {
  blobs_skipped += o.blobs_skipped;
  blobs_mounted += o.blobs_mounted;
  blobs_uploaded += o.blobs_uploaded;
  bytes_uploaded += o.bytes_uploaded;
  manifests_put += o.manifests_put;
  return *this;
}

RegistryClient::RegistryClient(ClientOptions options) : session_(std::move(options)) {}
RegistryClient::~RegistryClient() = default;

void RegistryClient::record(const TransferStats& s) {
  std::lock_guard lock(stats_mutex_);
  total_ += s;
}

TransferStats RegistryClient::stats() const {
  std::lock_guard lock(stats_mutex_);
  return total_;
}

bool RegistryClient::blob_exists(const Reference& repo, const std::string& digest) {
  const std::string host = repo.api_host();
  return with_retries(session_.options().retry, session_.options().debug, [&] {
    HttpRequest req;
    req.method = "HEAD";
    req.url = session_.base_url(host) + "/v2/" + repo.repository + "/blobs/" + digest;
    HttpResponse r = session_.send(host, {push_scope(repo.repository)}, req);
    if (r.status == 404) return false;
    // A registry that cannot say (5xx: seen from Distribution whose storage was left half-written by a crash) is
    // answered by uploading the blob: uploading a blob it has is harmless, and the upload reports a real outage.
    if (r.status >= 500) return false;
    expect(r, {200}, "checking blob " + digest + " in " + repo.name());
    return true;
  });
}

RegistryClient::Outcome RegistryClient::upload_once(const Reference& repo, const BodySource& body,
                                                    const std::string& digest, const std::string& mount_from,
                                                    BlobMeter& meter) {
  const std::string host = repo.api_host();
  std::vector<std::string> scopes{push_scope(repo.repository)};
  const std::string uploads = session_.base_url(host) + "/v2/" + repo.repository + "/blobs/uploads/";
  const std::string what = "uploading blob " + digest + " to " + repo.name();
  std::string location;

  if (!mount_from.empty()) {
    scopes.push_back(pull_scope(mount_from));
    HttpRequest req;
    req.method = "POST";
    req.url = uploads + "?mount=" + digest + "&from=" + mount_from;
    HttpResponse r = session_.send(host, scopes, req);
    if (r.status == 201) return Outcome::mounted;
    if (r.status == 202 && !r.header("location").empty()) {
      location = resolve_url(req.url, r.header("location"));
    } else if (r.status != 401 && r.status != 403 && r.status != 400 && r.status != 404) {
      expect(r, {201, 202}, what + " (mount from " + mount_from + ")");
    }
    // 400/401/403/404: not allowed to mount from there; upload normally.
  }
  if (location.empty()) {
    HttpRequest req;
    req.method = "POST";
    req.url = uploads;
    HttpResponse r = session_.send(host, {push_scope(repo.repository)}, req);
    expect(r, {202}, what + " (starting the upload)");
    if (r.header("location").empty()) throw Error(what + ": the registry gave no upload location");
    location = resolve_url(req.url, r.header("location"));
  }
  {
    HttpRequest req;
    req.method = "PATCH";
    req.url = location;
    req.headers = {"Content-Type: application/octet-stream"};
    req.body = &body;
    if (meter.active()) req.on_upload = [&meter](std::uint64_t sent, std::uint64_t) { meter.sent(sent); };
    meter.start();
    HttpResponse r = session_.send(host, scopes, req);
    expect(r, {202, 204}, what);
    if (!r.header("location").empty()) location = resolve_url(req.url, r.header("location"));
  }
  HttpRequest req;
  req.method = "PUT";
  req.url = with_digest_param(location, digest);
  HttpResponse r = session_.send(host, scopes, req);
  expect(r, {201, 204}, what + " (completing the upload)");
  return Outcome::uploaded;
}

TransferStats RegistryClient::put_blob(const Reference& repo, const BodySource& body, const std::string& digest,
                                       const std::string& mount_from) {
  TransferStats s;
  BlobMeter meter(session_.options().progress, digest, body.size());
  try {
    if (blob_exists(repo, digest)) {
      s.blobs_skipped = 1;
      meter.finish(BlobProgress::State::skipped);
      return s;
    }
    Outcome o = with_retries(session_.options().retry, session_.options().debug,
                             [&] { return upload_once(repo, body, digest, mount_from, meter); });
    if (o == Outcome::mounted) {
      s.blobs_mounted = 1;
      meter.finish(BlobProgress::State::mounted);
    } else {
      s.blobs_uploaded = 1;
      s.bytes_uploaded = body.size();
      meter.finish(BlobProgress::State::pushed);
    }
  } catch (...) {
    try {
      meter.finish(BlobProgress::State::failed);
    } catch (...) {  // the failure that matters is the upload's
    }
    throw;
  }
  return s;
}

TransferStats RegistryClient::push_blob(const Reference& repo, const BodySource& body, const std::string& digest,
                                        const std::string& mount_from) {
  TransferStats s = put_blob(repo, body, digest, mount_from);
  record(s);
  return s;
}

void RegistryClient::parallel_for(std::size_t n, const std::function<void(std::size_t)>& job) {
  hoist::parallel_for(n, static_cast<std::size_t>(std::max(1, session_.options().parallelism)), job);
}

TransferStats RegistryClient::push_blobs(const Reference& repo, const std::vector<BlobFile>& blobs,
                                         const std::vector<std::string>& mount_from) {
  TransferStats total;
  std::mutex m;
  parallel_for(blobs.size(), [&](std::size_t i) {
    const BlobFile& b = blobs[i];
    FileBody body(b.path, b.size);
    TransferStats s = put_blob(repo, body, b.digest, mount_from.empty() ? "" : mount_from.front());
    std::lock_guard lock(m);
    total += s;
  });
  record(total);
  return total;
}

void RegistryClient::get_blob(const Reference& repo, const std::string& digest,
                              const std::function<void(std::string_view)>& sink) {
  const std::string host = repo.api_host();
  bool delivered = false;
  try {
  with_retries(session_.options().retry, session_.options().debug, [&] {
    Sha256 hash;
    HttpRequest req;
    req.url = session_.base_url(host) + "/v2/" + repo.repository + "/blobs/" + digest;
    req.sink = [&](std::string_view chunk) {
      delivered = true;
      hash.update(chunk);
      sink(chunk);
    };
    HttpResponse r;
    try {
      r = session_.send(host, {push_scope(repo.repository)}, req);
    } catch (const TransportError&) {
      // The sink saw part of the blob: only its owner can start over (a copy's upload does, from a new download).
      if (delivered) throw PartialDownload("downloading blob " + digest + " from " + repo.name() + ": the connection broke");
      throw;
    }
    if (r.status != 200 && delivered) throw Error("downloading blob " + digest + ": " + describe(r));
    expect(r, {200}, "downloading blob " + digest + " from " + repo.name());
    std::string got = hash.digest();
    if (got != digest) throw Error("blob " + digest + " from " + repo.name() + " has digest " + got);
  });
  } catch (const PartialDownload& e) {
    throw RetryableError(e.what());  // not retried here; the sink's owner may start over
  }
}

Manifest RegistryClient::get_manifest(const Reference& ref) {
  const std::string host = ref.api_host();
  return with_retries(session_.options().retry, session_.options().debug, [&] {
    HttpRequest req;
    req.url = session_.base_url(host) + "/v2/" + ref.repository + "/manifests/" + ref.identifier();
    req.headers = {accept_header()};
    req.max_body = 4 * 1024 * 1024;
    HttpResponse r = session_.send(host, {push_scope(ref.repository)}, req);
    if (r.status == 404) throw Error("manifest not found: " + ref.str(), kExitNotFound);
    expect(r, {200}, "getting manifest " + ref.str());
    std::string content_type = r.header("content-type");
    content_type = content_type.substr(0, content_type.find(';'));
    Manifest m = Manifest::from_bytes(std::move(r.body), content_type);
    if (!ref.digest.empty() && m.digest != ref.digest)
      throw Error("manifest " + ref.str() + " received with digest " + m.digest);
    if (auto header = r.header("docker-content-digest"); !header.empty() && header.rfind("sha256:", 0) == 0 &&
                                                           header != m.digest)
      throw Error("manifest " + ref.str() + ": Docker-Content-Digest " + header + " does not match its bytes (" +
                  m.digest + ")");
    return m;
  });
}

std::optional<Manifest> RegistryClient::get_referrers(const Reference& repo, const std::string& digest) {
  const std::string host = repo.api_host();
  return with_retries(session_.options().retry, session_.options().debug, [&]() -> std::optional<Manifest> {
    HttpRequest req;
    req.url = session_.base_url(host) + "/v2/" + repo.repository + "/referrers/" + digest;
    req.headers = {"Accept: application/vnd.oci.image.index.v1+json"};
    req.max_body = 4 * 1024 * 1024;
    HttpResponse r = session_.send(host, {pull_scope(repo.repository)}, req);
    if (r.status == 404) return std::nullopt;
    expect(r, {200}, "listing the referrers of " + repo.name() + "@" + digest);
    std::string content_type = r.header("content-type");
    content_type = content_type.substr(0, content_type.find(';'));
    if (content_type != "application/vnd.oci.image.index.v1+json") return std::nullopt;  // not the API
    return Manifest::from_bytes(std::move(r.body), content_type);
  });
}

std::vector<std::string> RegistryClient::list_tags(const Reference& repo) {
  const std::string host = repo.api_host();
  std::vector<std::string> tags;
  std::string path = "/v2/" + repo.repository + "/tags/list";
  for (int page = 0; page < 1000 && !path.empty(); ++page) {
    HttpResponse r = with_retries(session_.options().retry, session_.options().debug, [&] {
      HttpRequest req;
      req.url = session_.base_url(host) + path;
      req.max_body = 16 * 1024 * 1024;
      HttpResponse resp = session_.send(host, {pull_scope(repo.repository)}, req);
      if (resp.status != 404) expect(resp, {200}, "listing the tags of " + repo.name());
      return resp;
    });
    if (r.status == 404) return tags;  // no such repository: no tags
    try {
      auto j = nlohmann::json::parse(r.body);
      if (j.contains("tags") && j["tags"].is_array())
        for (const auto& t : j["tags"]) tags.push_back(t.get<std::string>());
    } catch (const nlohmann::json::exception& e) {
      throw Error("the tag list of " + repo.name() + " is not the JSON the registry API defines: " + e.what());
    }
    // Link: </v2/<name>/tags/list?last=x&n=y>; rel="next" — a path on the same host, or none on the last page.
    std::string link = r.header("link");
    path.clear();
    if (auto lt = link.find('<'), gt = link.find('>'); lt != std::string::npos && gt != std::string::npos && gt > lt &&
                                                        link.find("rel=\"next\"", gt) != std::string::npos) {
      std::string next = link.substr(lt + 1, gt - lt - 1);
      if (next.rfind("/v2/", 0) == 0) path = next;
    }
  }
  return tags;
}

Manifest RegistryClient::get_image_manifest(const Reference& ref, const Platform& platform) {
  Manifest m = get_manifest(ref);
  if (!m.is_index()) return m;
  if (auto d = pick_platform(m, platform)) return get_manifest(ref.with_digest(d->digest));
  std::string available;
  for (const auto& c : m.children())
    if (c.platform) available += (available.empty() ? "" : ", ") + to_string(*c.platform);
  throw Error("image " + ref.str() + " has no " + to_string(platform) + " variant (it has: " +
              (available.empty() ? "none" : available) + ")");
}

std::string RegistryClient::put_manifest(const Reference& ref, const Manifest& manifest) {
  const std::string host = ref.api_host();
  std::string digest = sha256_digest(manifest.bytes);
  if (!ref.digest.empty() && ref.digest != digest)
    throw Error("cannot put manifest " + digest + " under digest " + ref.digest);
  if (manifest.media_type.empty()) throw Error("manifest " + digest + " has no media type");
  StringBody body(manifest.bytes);
  with_retries(session_.options().retry, session_.options().debug, [&] {
    HttpRequest req;
    req.method = "PUT";
    req.url = session_.base_url(host) + "/v2/" + ref.repository + "/manifests/" + ref.identifier();
    req.headers = {"Content-Type: " + manifest.media_type};
    req.body = &body;
    HttpResponse r = session_.send(host, {push_scope(ref.repository)}, req);
    expect(r, {201, 200, 202}, "putting manifest " + ref.str());
    if (auto header = r.header("docker-content-digest"); !header.empty() && header != digest)
      throw Error("registry stored manifest " + ref.str() + " as " + header + ", expected " + digest);
  });
  TransferStats s;
  s.manifests_put = 1;
  record(s);
  return digest;
}

}  // namespace hoist::registry
