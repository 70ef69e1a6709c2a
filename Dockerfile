# Hoist's own image, for CI jobs: `image: <registry>/hoist:<version>` and `script: hoist run pipelines/app.yaml`.
# Build stage: Debian bookworm with the -dev packages; run stage: bookworm-slim with only the runtime libraries (and
# no apt caches: `apt-get clean`, for bases without the Docker images' docker-clean hook, such as a debootstrap one).
FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates \
      libcurl4-openssl-dev libgit2-dev libyaml-cpp-dev nlohmann-json3-dev libpoco-dev catch2 \
      libssl-dev zlib1g-dev libarchive-dev libzstd-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build -j"$(nproc)" --target hoist \
 && strip /build/hoist

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcurl4 libgit2-1.5 libyaml-cpp0.7 libpocofoundation80 libpoconet80 libpocoutil80 \
      libssl3 zlib1g libarchive13 libzstd1 \
      git openssh-client ca-certificates bash \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 hoist
COPY --from=build /build/hoist /usr/local/bin/hoist
USER hoist
WORKDIR /home/hoist
ENTRYPOINT ["hoist"]
CMD ["--help"]
