"""casualty figures keep their words: hedged, partial, the quantity as written, the rule

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('casualtyreport', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hedged', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('partial', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('words', sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
        batch_op.add_column(sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('casualtyreport', schema=None) as batch_op:
        batch_op.drop_column('rule')
        batch_op.drop_column('words')
        batch_op.drop_column('partial')
        batch_op.drop_column('hedged')
