#!/bin/sh
# One-shot job (temporal-create-namespace): creates the IMS's namespace if it is missing and
# registers the IMS's custom search attributes in it, using the `temporal` CLI of admin-tools.
#
# Safe to run on every `docker compose up`: an existing namespace is left alone and an attribute
# that already exists with the same type is accepted. An attribute that exists with a DIFFERENT
# type fails the job, because the worker would then write values the server rejects.
#
# IMS_SEARCH_ATTRIBUTES lists `Name=Type` pairs (set in docker-compose.yml).
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-720h}"
: "${IMS_SEARCH_ATTRIBUTES:?IMS_SEARCH_ATTRIBUTES (Name=Type pairs) is required}"

echo "Waiting for Temporal at $ADDRESS..."
attempt=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then
    echo "Temporal at $ADDRESS did not become healthy" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "Namespace '$NAMESPACE' already exists"
elif output=$(temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" \
  --address "$ADDRESS" 2>&1); then
  echo "Namespace '$NAMESPACE' created (retention $RETENTION)"
else
  case "$output" in
    *"already exists"* | *"AlreadyExists"*) echo "Namespace '$NAMESPACE' already exists" ;;
    *)
      echo "$output" >&2
      exit 1
      ;;
  esac
fi

# A namespace that was just created takes a few seconds to reach every server cache, so each
# registration is retried for a while before giving up.
register_search_attribute() {
  name=$1
  type=$2
  attempt=0
  while :; do
    if output=$(temporal operator search-attribute create --name "$name" --type "$type" \
      --namespace "$NAMESPACE" --address "$ADDRESS" 2>&1); then
      echo "Search attribute $name ($type) registered"
      return 0
    fi
    case "$output" in
      *"different type"*)
        echo "$output" >&2
        return 1
        ;;
      *"already exists"* | *"AlreadyExists"*)
        echo "Search attribute $name ($type) already registered"
        return 0
        ;;
    esac
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 30 ]; then
      echo "$output" >&2
      return 1
    fi
    sleep 2
  done
}

for pair in $IMS_SEARCH_ATTRIBUTES; do
  register_search_attribute "${pair%%=*}" "${pair#*=}"
done
echo "Namespace '$NAMESPACE' is ready for the IMS"
