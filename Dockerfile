# syntax=docker/dockerfile:1
#
# Praxis container image.
#
#   docker compose build --build-arg PRAXIS_UID=$(id -u) --build-arg PRAXIS_GID=$(id -g)
#   (or: PRAXIS_UID=$(id -u) PRAXIS_GID=$(id -g) docker compose build)
#
# See docs/deployment.md for the full walk-through.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------------
# builder: turn the source tree into wheels (Praxis + its pure-Python dependencies). The build
# backend (hatchling) lives only in this stage; nothing from it reaches the runtime image.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

# Optional extras to bake in, e.g. --build-arg PRAXIS_EXTRAS=mcp for MCP tool servers (empty = none).
ARG PRAXIS_EXTRAS=""

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /build
COPY pyproject.toml README.md ./
COPY src/ ./src/
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".${PRAXIS_EXTRAS:+[${PRAXIS_EXTRAS}]}"

# ---------------------------------------------------------------------------------------------
# runtime: slim Python, the installed wheels, a non-root user, one data volume.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG PRAXIS_EXTRAS=""

# The uid/gid of the non-root `praxis` user. compose.yaml bind-mounts ./docker-data onto
# /var/lib/praxis, and that host directory must be writable by this uid, so build with your own
# ids: `docker compose build --build-arg PRAXIS_UID=$(id -u) --build-arg PRAXIS_GID=$(id -g)`.
# The default 10001 matches no usual host account (then: `sudo chown -R 10001:10001 docker-data`).
ARG PRAXIS_UID=10001
ARG PRAXIS_GID=10001

LABEL org.opencontainers.image.title="praxis" \
      org.opencontainers.image.description="Self-hosted runtime for one operator's personal AI agent"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PRAXIS_DATA_DIR=/var/lib/praxis

# Install from the builder's wheels only: no network, no compiler, no build backend.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links /wheels \
        "praxis-agent${PRAXIS_EXTRAS:+[${PRAXIS_EXTRAS}]}" \
    && praxis --version

# uid 0 would make the "non-root" user root; any other id is accepted (-o: a host gid such as
# macOS's 20 may collide with a Debian system group, which is harmless here).
RUN if [ "${PRAXIS_UID}" = "0" ] || [ "${PRAXIS_GID}" = "0" ]; then \
        echo "PRAXIS_UID/PRAXIS_GID must not be 0 (the container runs as a non-root user)" >&2; \
        exit 1; \
    fi \
    && groupadd --non-unique --gid "${PRAXIS_GID}" praxis \
    && useradd --non-unique --uid "${PRAXIS_UID}" --gid "${PRAXIS_GID}" \
        --home-dir /home/praxis --create-home --shell /usr/sbin/nologin praxis \
    && mkdir -p /var/lib/praxis \
    && chown "${PRAXIS_UID}:${PRAXIS_GID}" /var/lib/praxis \
    && chmod 0700 /var/lib/praxis

VOLUME /var/lib/praxis
WORKDIR /var/lib/praxis
USER praxis

# heartbeat.json is refreshed by every session phase and by the daemon (`praxis run`) while idle.
# The one-shot services in compose.yaml disable this check. `|| exit 1`: Docker reserves exit
# code 2, which praxis uses for bad usage. Docker only reports "unhealthy"; see
# docs/deployment.md for acting on it (`praxis watchdog`).
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s \
    CMD praxis heartbeat check --max-age-seconds 900 || exit 1

ENTRYPOINT ["praxis"]
CMD ["status"]
