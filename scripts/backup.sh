#!/usr/bin/env bash
# make backup: the PostgreSQL database (pg_dump custom format) and the media folder, in one
# tar with a SHA-256 manifest that `make restore` checks before touching anything.
#   DATABASE_URL  postgres://… of the database to back up (required)
#   MEDIA_ROOT    uploaded files (default ./media)
#   BACKUP_DIR    where the archive goes (default ./backups)
# Prints the path of the archive it wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?请设置 DATABASE_URL（PostgreSQL 连接串）}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "备份只支持 PostgreSQL：DATABASE_URL=$DATABASE_URL" >&2; exit 2 ;;
esac
MEDIA_ROOT=${MEDIA_ROOT:-media}
BACKUP_DIR=${BACKUP_DIR:-backups}
stamp=$(date +%Y%m%d-%H%M%S)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$work/db.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$work/media.tar.gz" .
(cd "$work" && sha256sum db.dump media.tar.gz > SHA256SUMS)

mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"
archive="$BACKUP_DIR/socialorg-$stamp.tar"
tar -C "$work" -cf "$archive" SHA256SUMS db.dump media.tar.gz
chmod 600 "$archive"
sha256sum "$archive" | cut -d' ' -f1 > "$archive.sha256"
echo "$archive"
