# syntax=docker/dockerfile:1
# Two images from one file; both run as uid 10001 with the data directory as the volume /data.
#   CPU (default target):            docker build -t recalign:0.1.0 .
#   GPU (libtorch 2.7.1, CUDA 12.8): docker build --target gpu -t recalign:0.1.0-gpu .
#     linux/amd64 only (DJL ships its CUDA bridge for linux-x86_64); run with --gpus all, or on a
#     Kubernetes node with the NVIDIA device plugin. The host needs a driver for CUDA 12.8 (>= 570).
#   Run: docker run -p 8080:8080 -v recalign-data:/data -e RECALIGN_ADMIN_TOKEN=... recalign:0.1.0
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128

FROM eclipse-temurin:17-jdk AS build
# gcc compiles the library that lets MKL use AVX-512 on processors not made by Intel (MklVendorCheck)
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY db db
COPY src src
# The CPU libtorch classifier follows the build platform through the pom's native-* profiles
# (linux-x86_64 by default, linux-aarch64 on arm64). The GPU image keeps that jar and points DJL at
# the CUDA libtorch instead (PYTORCH_LIBRARY_PATH below), so both images share this jar.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests

# DJL's JNI bridge for the CUDA flavour, taken from the pytorch-jni jar inside the application jar,
# so the GPU image finds it next to libtorch instead of extracting it into the data volume.
FROM build AS gpu-jni
ARG PYTORCH_FLAVOR
WORKDIR /jni
RUN jar xf /build/target/recalign.jar $(jar tf /build/target/recalign.jar | grep '^BOOT-INF/lib/pytorch-jni-.*\.jar$') \
    && jar xf BOOT-INF/lib/pytorch-jni-*.jar "jnilib/linux-x86_64/${PYTORCH_FLAVOR}/libdjl_torch.so" \
    && mv "jnilib/linux-x86_64/${PYTORCH_FLAVOR}/libdjl_torch.so" /jni/libdjl_torch.so

# libtorch from the PyTorch wheel: torch/lib, and the NVIDIA libraries (cuBLAS, cuDNN, NCCL, ...) it
# finds through relative rpaths ($ORIGIN/../../nvidia/*/lib), so both keep their wheel layout. Python's
# own bindings (libtorch_python) need libpython; DJL never loads them.
FROM python:3.12-slim AS libtorch
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
RUN pip install --no-cache-dir --target /wheel \
        --index-url "https://download.pytorch.org/whl/${PYTORCH_FLAVOR}" "torch==${PYTORCH_VERSION}" \
    && mkdir -p /opt/pytorch/torch \
    && mv /wheel/torch/lib /opt/pytorch/torch/lib \
    && mv /wheel/nvidia /opt/pytorch/nvidia \
    && rm -f /opt/pytorch/torch/lib/libtorch_python.so

# What both images share: the JRE, curl for the health check, the non-root user and the data volume.
FROM eclipse-temurin:17-jre AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 recalign \
    && useradd --system --uid 10001 --gid recalign --home-dir /data --no-create-home recalign \
    && mkdir -p /data /app \
    && chown recalign:recalign /data
COPY --from=build /build/target/recalign.jar /app/recalign.jar
# Embedded PostgreSQL (when SPRING_DATASOURCE_URL is unset), models and checkpoints live in /data.
# The MALLOC_* settings keep the memory libtorch frees for reuse instead of refaulting it every step
# (see NativeMemory); set RECALIGN_MALLOC_TUNING=false and unset them to get glibc's defaults back.
ENV RECALIGN_HOME=/data \
    DJL_OFFLINE=true \
    DJL_CACHE_DIR=/data/djl \
    MALLOC_ARENA_MAX=1 \
    MALLOC_MMAP_MAX_=0 \
    MALLOC_TRIM_THRESHOLD_=2147483647 \
    MALLOC_TOP_PAD_=67108864
VOLUME /data
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/recalign.jar"]
CMD ["serve"]

# GPU image: the runtime above (same user, volume, health check and entry point) with the CUDA
# libtorch. DJL loads libtorch from PYTORCH_LIBRARY_PATH, of the version and flavour named here, and
# the service logs the engine and its device at start-up ("default device gpu(0), 1 GPU").
FROM runtime AS gpu
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
COPY --from=libtorch /opt/pytorch /opt/pytorch
COPY --from=gpu-jni /jni/libdjl_torch.so /opt/pytorch/torch/lib/libdjl_torch.so
ENV PYTORCH_LIBRARY_PATH=/opt/pytorch/torch/lib \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 10001

# CPU image, the default target: the runtime with the CPU libtorch bundled in the jar.
FROM runtime AS cpu
USER 10001
