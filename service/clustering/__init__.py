"""Event clustering by keyword similarity (pure logic: state in, decisions out)."""

from service.clustering.cluster import Assignment, Clusterer, ClusterState, Params
from service.clustering.terms import Document, document

__all__ = ["Assignment", "Clusterer", "ClusterState", "Document", "Params", "document"]
