"""Event clustering by keyword similarity (pure logic: state in, decisions out)."""

from service.clustering.cluster import (Assignment, Clusterer, ClusterState, IdfTable, Params,
                                        sublinear, survivor)
from service.clustering.terms import Document, document, readable

__all__ = ["Assignment", "Clusterer", "ClusterState", "Document", "IdfTable", "Params", "document",
           "readable", "sublinear", "survivor"]
