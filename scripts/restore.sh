#!/usr/bin/env bash
# make restore FILE=backups/socialorg-….tar: verify the checksums, then restore the database
# into DATABASE_URL (which should be a fresh, empty database) and the media folder.
#   DATABASE_URL  postgres://… to restore into (required)
#   MEDIA_ROOT    where the files go (default ./media)
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-${FILE:-}}
[ -n "$FILE" ] || { echo "用法：make restore FILE=backups/socialorg-….tar" >&2; exit 2; }
[ -f "$FILE" ] || { echo "备份文件不存在：$FILE" >&2; exit 2; }
: "${DATABASE_URL:?请设置 DATABASE_URL（恢复到的 PostgreSQL 数据库，应为新建的空库）}"
MEDIA_ROOT=${MEDIA_ROOT:-media}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -f "$FILE.sha256" ]; then
  echo "$(cat "$FILE.sha256")  $FILE" | sha256sum --check --quiet \
    || { echo "备份文件校验失败（与 $FILE.sha256 不符），未做任何恢复。" >&2; exit 1; }
fi
tar -C "$work" -xf "$FILE" SHA256SUMS db.dump media.tar.gz
(cd "$work" && sha256sum --check --quiet SHA256SUMS) \
  || { echo "备份内容校验失败（SHA256SUMS 不符），未做任何恢复。" >&2; exit 1; }

pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$work/db.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$work/media.tar.gz"
echo "已恢复：数据库 → $DATABASE_URL，文件 → $MEDIA_ROOT"
