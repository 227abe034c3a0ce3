{
    "name": "Base",
    "version": "1.0",
    "summary": "Users, groups, companies, partners, currencies and access control",
    "category": "Hidden",
    "depends": [],
    "data": [
        "data/res.currency.csv",
        "data/res.company.csv",
        "data/res.users.csv",
    ],
    "license": "LGPL-3",
    "sequence": 0,
}
