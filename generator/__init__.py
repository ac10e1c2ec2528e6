"""gpuworkers generator: provider API pages -> OpenAPI 3.1 -> IR -> typed Python clients."""
