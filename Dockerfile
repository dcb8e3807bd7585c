# briefbot: a static binary in a minimal, non-root image with the bundled corpus inside.
# GO_IMAGE can name a locally built Go image where registries are out of reach (see README).
ARG GO_IMAGE=docker.io/library/golang:1.26-bookworm

FROM ${GO_IMAGE} AS build
WORKDIR /src
ARG GOPROXY=https://proxy.golang.org,direct
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly GOPROXY=${GOPROXY}
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X github.com/briefbot/briefbot/cli.Version=${VERSION}" -o /out/briefbot ./cmd/briefbot \
 && mkdir -p /out/data /out/tmp

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="briefbot" \
      org.opencontainers.image.description="Discord bot that briefs a team on a collection of news articles, with verbatim cited snippets" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/briefbot /briefbot
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/tmp /tmp
USER 65532:65532
ENV BRIEFBOT_DATA=/data HOME=/data LOG_FORMAT=json HTTP_ADDR=:8080
VOLUME /data
EXPOSE 8080
# No shell or curl in the image: the binary asks its own /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=2m --retries=3 CMD ["/briefbot", "healthcheck"]
ENTRYPOINT ["/briefbot"]
CMD ["serve"]
