"""robots.txt Crawl-delay per host for article fetches: articlehost.crawl_delay

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articlehost', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crawl_delay', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articlehost', schema=None) as batch_op:
        batch_op.drop_column('crawl_delay')
