# Harbour's production image: gunicorn (web), Celery worker and beat all run from it.
# Built by `docker compose build`; every setting comes from the environment (see README).

# --- Stage 1: front-end assets -----------------------------------------------------------------
# The same build as `make assets`: npm ci, then scripts/build-assets.sh into assets/dist/.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY assets/ assets/
COPY scripts/build-assets.sh scripts/
RUN scripts/build-assets.sh

# --- Stage 2: the application ------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    HARBOUR_VAR_DIR=/var/lib/harbour

# WeasyPrint (PDF reports) needs Pango, and harfbuzz-subset to embed fonts; slim has no fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, read from pyproject.toml, so this layer is rebuilt only when they change.
# Harbour itself is not pip-installed: it runs from /app (PYTHONPATH), where settings expect
# templates/, static/ and assets/dist/ beside the code.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /src/assets/dist assets/dist

# Run as an unprivileged user. HARBOUR_VAR_DIR holds collected static files (collectstatic runs
# when the web container starts) and is the user's home, where gunicorn keeps its control socket.
RUN useradd --system --user-group --uid 10001 --home-dir /var/lib/harbour --no-create-home harbour \
    && mkdir -p /var/lib/harbour \
    && chown harbour:harbour /var/lib/harbour
USER harbour

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
