# The scanner image used by docker-compose.yml; it talks to the OPA service over OPA_URL.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY compliance_opa ./compliance_opa
COPY collectors ./collectors
COPY policies ./policies
COPY inventory_schemas ./inventory_schemas
RUN pip install --no-cache-dir -c requirements.lock . && useradd --create-home scanner
USER scanner
ENTRYPOINT ["opa-comply"]
