#pragma once
// Git trailers ("Hoist-Image-Digest: sha256:...") at the end of a bump's commit message, so tools (git log
// --format=%(trailers), git interpret-trailers, libgit2's git_message_trailers) can find what a commit deployed.

#include <string>
#include <utility>
#include <vector>

namespace hoist {

using Trailers = std::vector<std::pair<std::string, std::string>>;

// MESSAGE with TRAILERS appended as "Key: value" lines: after a blank line, or straight into the message's own
// trailer block when its last paragraph already is one. Trailers with an empty value are skipped; keys must be
// non-empty without spaces or ':' and values single-line (else InputError). The result ends with one newline.
std::string append_trailers(const std::string& message, const Trailers& trailers);

// A commit that changed several files records each file's own trailers in a group that starts with
// "Hoist-File: PATH"; the trailers before the first group speak for every file of the commit:
//
//   Hoist-Actor: dee                      <- every file
//   Hoist-File: api/qa.values.yaml
//   Hoist-Image-Digest: sha256:aaa...     <- api/qa.values.yaml only
//   Hoist-File: web/qa.values.yaml
//   Hoist-Image-Digest: sha256:bbb...     <- web/qa.values.yaml only
//
// The trailers that speak for PATH: the common ones and PATH's group (with its Hoist-File line). A commit without
// groups speaks for all its files with all its trailers.
Trailers trailers_for_file(const Trailers& all, const std::string& path);

}  // namespace hoist
