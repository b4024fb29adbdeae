"""Defaults the Processing algorithms and the dialogs share, named once.

A dialog that offers the same choice as an algorithm (the classify dialog and chipvlm:classifychips)
starts from the same value; changing a default here changes it everywhere.
"""
from .classify.clients.endpoints import EndpointConfig

SCHEME = "yili8"  # the class scheme a run uses when none is named
BATCH_SIZE = 10  # chips per request
MAX_BATCH_SIZE = 100
CHIP_SIZE = 512  # pixels
MODEL = EndpointConfig.model  # what an endpoint without a model asks for
TIMEOUT = EndpointConfig.timeout  # seconds per request
