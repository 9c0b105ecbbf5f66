# The platform's image: web (gunicorn), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint (PDF of published work products) needs Pango and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime lock only (bin/lock writes it from pyproject.toml): no test or lint tools in the image.
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app && mkdir -p /app/media /app/var && chown -R app /app/media /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "initiative.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "5", "--access-logfile", "-"]
